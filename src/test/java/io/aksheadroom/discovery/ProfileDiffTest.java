package io.aksheadroom.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The "changed" log line names what changed; pools are matched by name, so a pool added in front is one change. */
class ProfileDiffTest {

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "{'a':1}|{'a':1}|nothing",
        "{'pools':[{'name':'sys','count':3}]}|{'pools':[{'name':'sys','count':5}]}|pools[sys].count 3 -> 5",
        "{'pools':[{'name':'sys'}]}|{'pools':[{'name':'gpu'},{'name':'sys'}]}|pools[gpu] added",
        "{'pools':[{'name':'sys'},{'name':'gpu'}]}|{'pools':[{'name':'sys'}]}|pools[gpu] removed",
        "{'c':{'s1':4}}|{'c':{'s1':6,'s2':1}}|c.s1 4 -> 6; c.s2 added",
        "{'v':['10.0.0.0/8']}|{'v':['10.0.0.0/8','172.16.0.0/12']}|v [\"10.0.0.0/8\"] -> [\"10.0.0.0/8\",\"172.16.0.0/12\"]",
        "{}|{'a':1,'b':2,'c':3,'d':4,'e':5,'f':6,'g':7,'h':8,'i':9,'j':10}|a added; b added; c added; d added; e added; f added; g added; h added; and 2 more"})
    void describesWhatChanged(String before, String after, String expected) throws Exception {
        var json = LocalArm.JSON;
        assertEquals(expected, ProfileDiff.describe(json.readTree(before.replace('\'', '"')),
                json.readTree(after.replace('\'', '"'))));
    }
}
