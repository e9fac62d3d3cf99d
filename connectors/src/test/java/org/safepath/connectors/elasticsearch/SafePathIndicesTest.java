package org.safepath.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.safepath.schemas.IndicatorCatalogue;

class SafePathIndicesTest {

    @Test
    void theIndicatorMappingHasAKeywordForEveryDimensionOfTheCatalogueAndRefusesOthers() {
        ObjectNode current = SafePathIndices.templates(IndicatorCatalogue.defaults()).get("safepath-current");
        var dims = current.at("/template/mappings/properties/dimensions");
        assertThat(dims.get("dynamic").asText()).isEqualTo("strict");
        for (String name : IndicatorCatalogue.defaults().dimensionNames()) {
            assertThat(dims.at("/properties/" + name + "/type").asText()).as(name).isEqualTo("keyword");
        }
        assertThat(current.at("/template/mappings/properties/value/type").asText()).isEqualTo("double");
    }

    @Test
    void historyIsMonthlyIndicesBehindOneAliasWithAnIlmPolicyOnlyWhenOneIsGiven() {
        ObjectNode plain = SafePathIndices.templates(IndicatorCatalogue.defaults()).get("safepath-history");
        assertThat(plain.at("/index_patterns/0").asText()).isEqualTo("safepath-history-*");
        assertThat(plain.at("/template/aliases").has("safepath-history")).isTrue();
        assertThat(plain.at("/template/settings").has("index.lifecycle.name")).isFalse();
        ObjectNode withIlm = SafePathIndices.templates(IndicatorCatalogue.defaults(), "safepath-history-400d").get("safepath-history");
        assertThat(withIlm.at("/template/settings/index.lifecycle.name").asText()).isEqualTo("safepath-history-400d");
    }
}
