package org.reprolab.lab;

import java.util.Set;
import org.reprolab.diffusion.Sampler;
import org.reprolab.diffusion.Sampler.UniPC.Variant;

/**
 * The names samplers go by in the papers and in diffusers (DDIM, DPM-Solver++(2M), UniPC-bh2, ...), plus the
 * hyper-parameters that differ from the sampler's defaults: {@code DDIM(eta=1)}, {@code EDM Heun(churn=40)}.
 */
final class SamplerNames {
    private SamplerNames() {}

    static String name(Sampler s, Set<String> swept) {
        return switch (s) {
            case Sampler.EulerMaruyama e -> "Euler-Maruyama";
            case Sampler.PredictorCorrector pc -> RecordParameters.differences("PC", pc, new Sampler.PredictorCorrector(), swept);
            case Sampler.Ddpm d -> "DDPM";
            case Sampler.Ddim d -> RecordParameters.differences("DDIM", d, new Sampler.Ddim(), swept);
            case Sampler.Plms p -> "PLMS";
            case Sampler.DpmSolver d -> swept.contains("order") ? "DPM-Solver" : "DPM-Solver-" + d.order();
            case Sampler.DpmSolverPP2S d -> "DPM-Solver++(2S)";
            case Sampler.DpmSolverPP d -> RecordParameters.differences(swept.contains("order") ? "DPM-Solver++" : "DPM-Solver++(" + d.order() + "M)",
                    d, new Sampler.DpmSolverPP(d.order()), Set.of("order"));
            case Sampler.DpmSolverPP2MSde d -> "SDE-DPM-Solver++(2M)";
            case Sampler.DpmSolverPP2MHeavyBall h -> RecordParameters.differences("DPM-Solver++(2M) + HB", h, null, swept);
            case Sampler.UniPC u -> RecordParameters.differences("UniPC-" + u.variant().name().toLowerCase(java.util.Locale.ROOT), u,
                    new Sampler.UniPC(2, u.variant()), union(swept, "variant"));
            case Sampler.DcSolver d -> RecordParameters.differences("DC-Solver", d, new Sampler.DcSolver(3, Variant.BH1, d.ratios()), union(swept, "ratios"));
            case Sampler.DcSolverSearch d -> RecordParameters.differences("DC-Solver", d, new Sampler.DcSolverSearch(d.points()), union(swept, "points"));
            case Sampler.SolverSchedule p -> "Solver schedule";
            case Sampler.SolverScheduleSearch p -> "S3 search";
            case Sampler.EdmHeun e -> RecordParameters.differences("EDM Heun", e, new Sampler.EdmHeun(), swept);
            case Sampler.Ghvb g -> swept.contains("order") ? "GHVB" : "GHVB " + Format.value(g.order());
            case Sampler.ProbabilityFlow p -> "PF-ODE " + p.tableau().name();
        };
    }

    private static Set<String> union(Set<String> a, String b) {
        var s = new java.util.HashSet<>(a);
        s.add(b);
        return s;
    }
}
