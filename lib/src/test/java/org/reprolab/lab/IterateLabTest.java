package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.implicit.OtProblem;
import org.reprolab.implicit.Sinkhorn;
import org.reprolab.implicit.SinkhornNewtonSparse;

class IterateLabTest {
    private final OtProblem problem = OtProblem.randomAssignment(40, 7);

    @Test
    void sinkhornAndSnsRecordTheirOwnErrorHistoriesAndAgree() {
        var sns = SinkhornNewtonSparse.of(0.01).withPerRow(2);
        Runs runs = Lab.iterate(problem).progress(Progress.none()).compare(new Sinkhorn(0.01, 1e-10, 50_000), sns)
                .as("Sinkhorn", "SNS").run();
        var direct = sns.solve(problem.a(), problem.b(), problem.cost());
        assertArrayEquals(direct.errors(), runs.history("SNS", "error"));
        var host = sns.sinkhorn(problem.a(), problem.b(), problem.cost(), 50_000);
        assertArrayEquals(host.errors(), runs.history("Sinkhorn", "error"));
        Row s = runs.rows().get(0), n = runs.rows().get(1);
        assertEquals(host.iterations(), s.scalars().get("iterations").mean());
        assertEquals(direct.iterations(), n.scalars().get("iterations").mean());
        assertEquals(1.0, s.scalars().get("converged").mean());
        assertEquals(1.0, n.scalars().get("converged").mean());
        assertEquals(direct.transport().cost(), n.scalars().get("cost").mean());
        assertEquals(0.0, s.scalars().get("solution_diff").mean(), "the reference against itself");
        assertTrue(n.scalars().get("solution_diff").mean() < 1e-9);
        assertTrue(n.scalars().get("solution_diff").mean() > 0);
        assertEquals(runs.history("SNS", "error").length, runs.history("SNS", "seconds").length);
        assertTrue(runs.history("SNS", "error").length < runs.history("Sinkhorn", "error").length);
    }

    @Test
    void aSweepOverARecordComponentRebuildsTheSolver() {
        Runs runs = Lab.iterate(problem).progress(Progress.none()).compare(new Sinkhorn(0.01, 1e-8, 50_000)).sweep("epsilon", 0.05, 0.01).run();
        assertEquals(List.of("Sinkhorn epsilon=0.05", "Sinkhorn epsilon=0.01"), runs.rows().stream().map(Row::label).toList());
        double fast = runs.rows().get(0).scalars().get("iterations").mean(), slow = runs.rows().get(1).scalars().get("iterations").mean();
        assertEquals(new Sinkhorn(0.05, 1e-8, 50_000).trace(problem).iterations(), fast);
        assertTrue(slow > fast, slow + " vs " + fast);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Lab.iterate(problem).progress(Progress.none()).compare(new Sinkhorn(0.01, 1e-8, 10)).sweep("lr", 0.1).run());
        assertTrue(e.getMessage().contains("'lr'") && e.getMessage().contains("epsilon"), e.getMessage());
    }
}
