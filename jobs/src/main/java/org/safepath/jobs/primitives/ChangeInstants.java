package org.safepath.jobs.primitives;

import java.util.Arrays;

/**
 * The instants a key's values will change at with no event (a model's threshold crossings and window exits), as a
 * min-heap of longs: the {@link LiveIndicatorAggregator} keeps a timer for the earliest only. One timer per instant
 * (five for each wait on a list, weeks ahead) made the timers most of a busy job's checkpoint, each writing its key
 * again. An instant may be held more than once; all copies go together. A Flink POJO.
 */
public class ChangeInstants {
    public long[] heap = new long[4];
    public int size;

    public ChangeInstants() {
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The earliest instant held; only when not empty. */
    public long earliest() {
        return heap[0];
    }

    public void add(long t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, Math.max(4, size * 2));
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (heap[parent] <= t) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = t;
    }

    /** Takes out every instant at or before t. */
    public void removeUpTo(long t) {
        while (size > 0 && heap[0] <= t) {
            long last = heap[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (heap[child] >= last) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            if (size > 0) {
                heap[i] = last;
            }
        }
        if (size < heap.length / 4 && heap.length > 4) {
            heap = Arrays.copyOf(heap, Math.max(4, heap.length / 2));
        }
    }
}
