package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;

import org.junit.jupiter.api.Test;

class NamesCommandTest {

    @Test
    void aCouncilsReferenceFileGivesEachSiteAndCouncilItsNameAndSaysWhichLinesItCannotUse() throws Exception {
        NamesCommand.Parsed parsed = NamesCommand.read("names.csv", new StringReader(String.join("\n",
                "kind,code,name",
                "ods_site,RNZ02,Salisbury District Hospital",
                "local_authority,E06000054,\"Wiltshire\"",
                "trust,RNZ,Salisbury NHS Foundation Trust",
                "ods_site,RD130,",
                "")));
        assertThat(parsed.names()).containsExactly(
                new NamesCommand.Name("ods_site", "RNZ02", "Salisbury District Hospital"),
                new NamesCommand.Name("local_authority", "E06000054", "Wiltshire"));
        assertThat(parsed.rejected()).containsExactly(
                "names.csv line 4: kind 'trust' is not one of [cqc_location, ods_site, local_authority]",
                "names.csv line 5: needs both a code and a name");
    }

    @Test
    void aFileWithoutTheHeaderIsRefusedSayingWhatTheHeaderMustBe() {
        assertThatThrownBy(() -> NamesCommand.read("sites.csv", new StringReader("RNZ02,Salisbury District Hospital\n")))
                .hasMessageContaining("sites.csv must start with the header kind,code,name");
    }

    @Test
    void theSimulatedCouncilsNamesAreAllUsable() throws Exception {
        try (var in = new java.io.InputStreamReader(org.safepath.simulator.SyntheticCouncil.class.getResourceAsStream("/synthetic-council-names.csv"))) {
            NamesCommand.Parsed parsed = NamesCommand.read("synthetic-council-names.csv", in);
            assertThat(parsed.rejected()).isEmpty();
            assertThat(parsed.names()).extracting(NamesCommand.Name::code)
                    .containsAll(org.safepath.simulator.SyntheticCouncil.HOSPITAL_SITES)
                    .contains(org.safepath.simulator.SyntheticCouncil.LOCAL_AUTHORITY)
                    .containsAll(org.safepath.simulator.SyntheticCouncil.NEIGHBOURS);
        }
    }
}
