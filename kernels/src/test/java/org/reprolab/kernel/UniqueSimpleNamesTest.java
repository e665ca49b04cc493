package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One simple name, one public type (issue 11): a notebook imports whole packages, so two public
 * types with the same simple name would need a tie-breaker import and would make a reader ask which
 * one a cell means.
 */
class UniqueSimpleNamesTest {

    @Test
    void noTwoPublicTypesShareASimpleName() {
        List<Class<?>> types = LibraryTypes.publicTopLevel();
        // the scan reaches every module, so an empty or partial class path cannot pass vacuously
        for (String expected : List.of("org.reprolab.random.RngKey", "org.reprolab.tornado.Device",
                "org.reprolab.tensor.Tensor", "org.reprolab.kernel.DefaultImports")) {
            assertTrue(types.stream().anyMatch(c -> c.getName().equals(expected)), "scan missed " + expected);
        }
        Map<String, List<String>> bySimpleName = types.stream().collect(Collectors.groupingBy(
                Class::getSimpleName, TreeMap::new, Collectors.mapping(Class::getName, Collectors.toList())));
        Map<String, List<String>> duplicated = new TreeMap<>(bySimpleName);
        duplicated.values().removeIf(names -> names.size() < 2);
        assertEquals(Map.of(), duplicated, "public simple names declared more than once");
    }
}
