package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every notebook in {@code notebooks/} runs headless through nbclient against the kernel, with
 * no error output, and shows the numbers and figures its text claims.
 */
class NotebookTest {

    /** The notebooks this class checks; a notebook added without checks fails {@link #everyNotebookIsChecked}. */
    private static final Set<String> CHECKED = Set.of("rosenbrock-descent", "optimizers-nonconvex", "lion-bound", "optimizers-digits", "neural-ode-regularization", "ode-work-precision", "adamp-scale-invariance", "neural-sde", "diffusion-samplers", "diffusion-training", "diffusion-guidance", "diffusion-momentum", "diffusion-digits", "implicit-ridge", "sinkhorn-newton-sparse", "deq-vs-node", "dataset-distillation", "bilevel-hypercleaning", "deep-linear-dynamics", "edge-of-stability", "consensus-optimization", "zeroth-order-training", "lamb-large-batch", "refined-schedules", "last-iterate", "frugal-memory", "mfac-cost", "exadam-early", "stable-spam-spikes", "mkor-steps", "matrix-sensing", "lr-batch-scaling", "hessian-spectrum", "sgd-stability", "light-schrodinger-bridge", "diffusion-inverse-problems", "grokking-lazy-rich", "stochastic-interpolants", "masked-diffusion", "grokking-stablemax", "information-plane", "adaptive-guidance", "sparse-constrained-ot", "penalty-bilevel", "fractional-sde", "solver-search", "diffusion-quantization", "equilibrium-propagation", "homotopy-deq", "adjoint-dpm", "gp-high-frequency-pde", "transform-once", "neural-stagger", "ast-distillation");

    /**
     * Notebooks whose clients run on Spark ({@code %spark}): the spark module's FederatedNotebookTest executes them,
     * since that module is built after this one and {@code %spark} loads it.
     */
    private static final Set<String> CHECKED_IN_SPARK_MODULE = Set.of("federated-momentum", "gradient-compression", "fedspeed", "async-federated");

    /** Every HTML output of the notebook, in order: tables, runs' displays (a Lab run's live progress display comes first). */
    private static String html(NotebookRun run) {
        return String.join("\n", run.data("text/html"));
    }

    @Test
    void everyNotebookIsChecked() throws IOException {
        try (Stream<Path> files = Files.list(Python.projectRoot().resolve("notebooks"))) {
            Set<String> present = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".ipynb")).map(n -> n.substring(0, n.length() - ".ipynb".length()))
                    .collect(Collectors.toSet());
            Set<String> checked = new java.util.HashSet<>(CHECKED);
            checked.addAll(CHECKED_IN_SPARK_MODULE);
            assertEquals(checked, present);
        }
    }

    @Test
    void rosenbrockDescent() throws Exception {
        NotebookRun run = NotebookRun.execute("rosenbrock-descent");
        assertEquals(List.of(), run.errors(), run.log());
        assertEquals("12.5", run.data("text/plain").getFirst());
        // plain gradient descent still crawls along the valley floor after 3000 steps at lr 1e-3 ...
        assertEquals(4.867e-2, run.number("rosenbrock gradient descent final loss"), 1e-5);
        // ... while heavy-ball momentum (beta 0.9) has converged to round-off level
        assertTrue(run.number("rosenbrock heavy ball final loss") < 1e-10);
        assertEquals(1, run.count("image/png"), "the contour map (the loss curves are in the runs' display)");
        String table = html(run);
        assertTrue(table.contains("<td>gradient descent</td>") && table.contains("<td>heavy ball</td>"), table);
        assertTrue(table.contains("<img src=\"data:image/png"), "the runs' display shows the loss curves");

        // the kernel's standalone report of the notebook (execute.py --reports, as the main job runs it)
        String report = run.report();
        assertTrue(report.contains("<title>rosenbrock-descent</title>"), report.substring(0, 300));
        assertTrue(report.contains("<td>gradient descent</td>") && report.contains("<td>heavy ball</td>"), "the table");
        assertTrue(report.contains("<td>" + String.format(java.util.Locale.ROOT, "%.4g", run.number("rosenbrock gradient descent final loss")) + "</td>"),
                "the final loss in the table");
        var png = java.util.regex.Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(report);
        assertTrue(png.find(), "an embedded figure");
        assertTrue(png.find(), "the contour map, a cell's value, after the result's curves");
        png.reset();
        png.find();
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(png.group(1))));
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100, "the loss curves decode as an image");
        assertTrue(report.contains(".compare(sgd(1e-3), sgd(1e-3, 0.9)).as(&quot;gradient descent&quot;, &quot;heavy ball&quot;)"), "the cell that ran it");
        assertTrue(report.contains("runs.trajectories()"), "cells after the run too: the report is the notebook's");
    }

    @Test
    void optimizersNonconvex() throws Exception {
        NotebookRun run = NotebookRun.execute("optimizers-nonconvex");
        assertEquals(List.of(), run.errors(), run.log());
        // diffGrad paper, F1: diffGrad stops in the global minimum at -0.3, Adam overshoots into the local one at 0.2
        assertEquals(-0.3, run.number("diffGrad F1 diffGrad final x0"), 1e-3);
        assertEquals(0.2, run.number("diffGrad F1 Adam final x0"), 1e-3);
        assertEquals(0.05, run.number("diffGrad F1 Adam final loss"), 1e-4);
        // F2: diffGrad turns back into the global minimum near -0.643, Adam stops in the local minimum at 0 (F = 0.85)
        assertEquals(-0.6429, run.number("diffGrad F2 diffGrad final x0"), 1e-3);
        assertTrue(run.number("diffGrad F2 diffGrad final loss") < 2e-4);
        assertEquals(0.0, run.number("diffGrad F2 Adam final x0"), 1e-2);
        assertEquals(0.85, run.number("diffGrad F2 Adam final loss"), 1e-3);
        // F3: both cross the ridge in front of the local minimum at -0.5 and end near the V's tip at 0
        assertEquals(0.0, run.number("diffGrad F3 diffGrad final x0"), 0.05);
        assertEquals(0.0, run.number("diffGrad F3 Adam final x0"), 0.05);
        assertEquals(3, run.number("diffGrad runs ending in the global basin"));
        assertEquals(1, run.number("Adam runs ending in the global basin"));
        // two variables: all seven end near the minimum of Rosenbrock and Beale
        for (String f : List.of("rosenbrock", "beale")) {
            for (String o : List.of("SGDM", "Adam", "AMSGrad", "diffGrad", "AdaBelief", "Adan", "Lion")) {
                assertTrue(run.number(f + " " + o + " distance") < 0.1, f + " " + o);
            }
        }
        assertEquals(6, run.count("image/png"), "the functions, three trajectory plots, two contour maps");
        // the three runs' tables (one per function) show where each method ended: its distance to the global minimiser
        String table = html(run);
        assertTrue(table.contains("on diffGrad F2") && table.contains("<th>distance</th>"), table);
    }

    @Test
    void lionBound() throws Exception {
        NotebookRun run = NotebookRun.execute("lion-bound");
        assertEquals(List.of(), run.errors(), run.log());
        // weight decay 1, lr 0.01: never beyond |x|inf = 1 from inside, never above the geometric envelope from outside
        assertTrue(run.number("Lion weight_decay=1 max |x|inf") <= 1 + 1e-9);
        assertTrue(run.number("largest excess over the envelope") <= 1e-9);
        // the constraint is active on the first coordinate (c = 2.5 lies outside), inactive on the second (c = 0.3)
        assertEquals(1.0, run.number("bowl Lion final x0"), 0.01);
        assertEquals(0.3, run.number("bowl Lion final x1"), 0.02);
        // SGD with the same weight decay solves the L2 problem instead: c / (1 + lambda) = (1.25, 0.15)
        assertEquals(1.25, run.number("bowl SGD final x0"), 1e-3);
        assertEquals(0.15, run.number("bowl SGD final x1"), 1e-3);
        for (String wd : List.of("0.5", "1", "2")) {
            String l = "Lion weight_decay=" + wd;
            assertTrue(run.number(l + " max |x|inf") <= 1 / Double.parseDouble(wd) + 1e-9, l);
            assertEquals(1 / Double.parseDouble(wd), run.number("bowl " + l + " final x0"), 0.01, l);
        }
        assertEquals(2, run.count("image/png"), "the contour map with the box, the norms against 1/lambda");
    }

    @Test
    void optimizersDigits() throws Exception {
        NotebookRun run = NotebookRun.execute("optimizers-digits");
        assertEquals(List.of(), run.errors(), run.log());
        assertEquals(449, run.number("test examples"));
        assertTrue(run.number("digits Adam final test_accuracy") > 0.95);
        assertTrue(run.number("digits AdamW final test_accuracy") > 0.95);
        assertTrue(run.number("digits SGD-SaI final test_accuracy") > 0.95);
        for (String o : List.of("AdaBelief", "Adan", "Lion", "Sophia-G", "AdaHessian")) {
            assertTrue(run.number("digits " + o + " final test_accuracy") > 0.9, o);
        }
        assertTrue(run.number("digits Smile LogisticRegression (baseline) final test_accuracy") > 0.93);
        // state memory: Lion and SGD-SaI keep half of AdamW's, Adan twice, AdaBelief, Sophia-G and AdaHessian as much
        assertEquals(0.5, run.number("Lion state vs AdamW"), 1e-12);
        assertEquals(0.5, run.number("SGD-SaI state vs AdamW"), 1e-12);
        assertEquals(2.0, run.number("Adan state vs AdamW"), 1e-12);
        assertEquals(1.0, run.number("Sophia-G state vs AdamW"), 1e-12);
        assertEquals(1.0, run.number("AdaHessian state vs AdamW"), 1e-12);
        assertEquals(2, run.count("image/png"), "loss curves, accuracy curves");
        String table = html(run);
        assertTrue(table.contains("Smile LogisticRegression (baseline)") && table.contains("SGD-SaI"), table);
        assertTrue(run.number("digits RandomForest test accuracy") > 0.9);
        assertTrue(table.contains("confusion matrix") && table.contains("<th>trees</th><td>100</td>"), "the forest's report");
    }

    @Test
    void jshellLauncherRunsTheSampleScriptWithTheNotebookImports() throws Exception {
        String javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaExecutable));
        command.addAll(JvmFlags.required());
        command.addAll(List.of("-cp", TestClasspath.get(), JShellLauncher.class.getName(),
                Python.projectRoot().resolve("notebooks/jshell/rosenbrock.jsh").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("gradient descent final loss = 4.867e-02"), output);
        assertTrue(output.contains("heavy ball final loss = 3.319e-12"), output);
        assertTrue(output.matches("(?s).*<XYChart \"a line\" 640x400> -> \\S+\\.png.*"), output);
    }

    @Test
    void neuralOdeRegularization() throws Exception {
        NotebookRun run = NotebookRun.execute("neural-ode-regularization");
        assertEquals(List.of(), run.errors(), run.log());
        double plain = run.number("plain final loss");
        assertTrue(plain < 5e-3, "the plain neural ODE fits the swirl map: " + plain);
        assertTrue(run.number("global nfev ratio") < 1, "Opening the Blackbox: fewer evaluations");
        assertTrue(run.number("local nfev ratio") < 1, "Locally regularized: fewer evaluations");
        assertTrue(run.number("global final loss") < 4 * plain + 2e-3, "similar loss (global)");
        assertTrue(run.number("local final loss") < 4 * plain + 2e-3, "similar loss (local)");
        assertEquals(2, run.count("image/png"), "loss and NFE curves");
    }

    @Test
    void odeWorkPrecision() throws Exception {
        NotebookRun run = NotebookRun.execute("ode-work-precision");
        assertEquals(List.of(), run.errors(), run.log());
        assertEquals(48, run.number("scipy points"), "RK45 and DOP853 at 8 tolerances on 3 problems, run by scipy now");
        assertEquals(120, run.number("points"), "plus ours: 3 methods");
        for (String p : List.of("lotka_volterra", "vdp_mu1", "arenstorf")) {
            assertEquals(1.0, run.number(p + " nfev ratio DOPRI5/RK45"), 0.10, p + ": same method and controller as RK45");
            double e = run.number(p + " error ratio DOPRI5/RK45");
            assertTrue(e > 1 / 3.0 && e < 3, p + " error ratio " + e);
            assertTrue(run.number(p + " speedup DOPRI5 vs RK45") > 3, p + ": no Python overhead per step");
        }
        assertEquals(6, run.count("image/png"), "error vs NFE and vs time for 3 problems");
    }

    @Test
    void adampScaleInvariance() throws Exception {
        NotebookRun run = NotebookRun.execute("adamp-scale-invariance");
        assertEquals(List.of(), run.errors(), run.log());
        // the premise: W's rows are scale-invariant (batch norm), so the gradient is orthogonal to each row
        assertEquals(run.number("loss at W"), run.number("loss at 3W"), 1e-8);
        assertTrue(run.number("max channel |cos(grad, w)|") < 1e-6);
        // lr 1e-2, 1000 steps, no weight decay: Adam inflates ||W|| (3.03x), AdamP barely (1.24x); SGD(m) 3.73x, SGDP 1.78x
        assertTrue(run.number("BN toy Adam final norm_growth") > 2.5);
        assertTrue(run.number("BN toy AdamP final norm_growth") < 1.35);
        assertTrue(run.number("BN toy SGD final norm_growth") > 3);
        assertTrue(run.number("BN toy SGDP final norm_growth") < 2);
        // so the projected optimizers keep a larger effective step ||dW||/||W|| at the end (2.79x, 4.18x)
        assertTrue(run.number("effective step ratio AdamP/Adam") > 2.3);
        assertTrue(run.number("effective step ratio SGDP/SGD") > 3);
        assertEquals(run.number("BN toy Adam final loss"), run.number("BN toy AdamP final loss"), 0.05, "similar loss on the toy");
        // the growth comes with the step size: 1.05x / 1.01x at lr 1e-3, 1.45x / 1.04x at 3e-3
        assertTrue(run.number("BN toy Adam lr=0.001 final norm_growth") < 1.1 && run.number("BN toy AdamP lr=0.001 final norm_growth") < 1.02);
        assertTrue(run.number("BN toy Adam lr=0.003 final norm_growth") > 1.3 && run.number("BN toy AdamP lr=0.003 final norm_growth") < 1.08);
        assertEquals(3, run.count("image/png"), "norm, effective step, loss");
        assertTrue(html(run).contains("<td>AdamP</td>"));
    }

    @Test
    void neuralSde() throws Exception {
        NotebookRun run = NotebookRun.execute("neural-sde");
        assertEquals(List.of(), run.errors(), run.log());
        assertEquals(524288, run.number("transitions"));
        // Euler-Maruyama likelihood on dX = (X - X^3) dt + 0.7 dW: sigma 0.694, drift 7% relative RMSE on [-1.6, 1.6]
        assertEquals(0.7, run.number("learned sigma"), 0.02);
        assertTrue(run.number("drift relative rmse") < 0.12);
        // stationary variance of the learned SDE (quadrature) vs the true 0.832
        double v = run.number("stationary variance true");
        assertEquals(0.8322, v, 1e-3);
        assertEquals(1, run.number("stationary variance learned") / v, 0.08);
        // 2000 simulated end points at t = 8 from 0, true and learned SDE on the same Brownian tree
        assertEquals(0, run.number("true SDE end mean"), 0.1);
        assertEquals(0, run.number("learned SDE end mean"), 0.1);
        assertEquals(1, run.number("true SDE end variance") / v, 0.08);
        assertEquals(1, run.number("learned SDE end variance") / v, 0.1);
        assertTrue(run.number("coupled end points within 0.25") > 0.9);
        assertEquals(4, run.count("image/png"), "NLL, drift, coupled paths, end-point histogram");
    }

    @Test
    void diffusionSamplers() throws Exception {
        NotebookRun run = NotebookRun.execute("diffusion-samplers");
        assertEquals(List.of(), run.errors(), run.log());
        for (String t : List.of("ring8", "two clusters")) {
            // the papers' ordering at 10 NFE, with exact scores: UniPC-bh2 < DPM-Solver++(2M) < DDIM, and DC-Solver < UniPC
            double ddim = run.number(t + " DDIM NFE 10 error"), dpm = run.number(t + " DPM-Solver++(2M) NFE 10 error");
            double unipc = run.number(t + " UniPC-bh2 NFE 10 error"), dc = run.number(t + " DC-Solver NFE 10 error");
            assertTrue(unipc < dpm && dpm < 0.5 * ddim && dc < unipc, t);
            assertTrue(run.number(t + " DC-Solver NFE 5 error") < 0.5 * run.number(t + " DDIM NFE 5 error"), t);
            // measured orders between 100 and 200 NFE
            assertEquals(1.0, run.number(t + " DDIM order"), 0.1, t);
            assertEquals(2.0, run.number(t + " DPM-Solver++(2M) order"), 0.25, t);
            assertEquals(2.0, run.number(t + " EDM Heun order"), 0.25, t);
            assertTrue(run.number(t + " UniPC-bh2 order") > 2.6, t);
        }
        assertEquals(3, run.count("image/png"), "error vs NFE for two targets, the 5-NFE scatter");
        // one Runs table per target: together they name every sampler and both targets
        String tables = String.join("\n", run.data("text/html"));
        assertTrue(tables.contains("DC-Solver") && tables.contains("two clusters"), tables);
    }

    @Test
    void solverSearch() throws Exception {
        NotebookRun run = NotebookRun.execute("solver-search");
        assertEquals(List.of(), run.errors(), run.log());
        // Liu et al. (USF / S³): a per-step searched solver beats DPM-Solver++(2M) and UniPC at 5-10 NFE, here on
        // held-out noise (the search scores its candidates on 200 other points); measured gains over UniPC 6-21x
        for (String t : List.of("ring8", "two clusters"))
            for (int nfe : new int[] {5, 6, 8, 10}) {
                double s3 = run.number(t + " S3 NFE " + nfe + " error");
                double best = Math.min(run.number(t + " DPM-Solver++(2M) NFE " + nfe + " error"), run.number(t + " UniPC-bh2 NFE " + nfe + " error"));
                assertTrue(s3 < 0.25 * best, t + " at " + nfe + ": " + s3 + " vs " + best);
            }
        assertEquals(1.795e-3, run.number("ring8 S3 NFE 5 error"), 1e-4);
        assertEquals(8.81e-5, run.number("ring8 S3 NFE 10 error"), 5e-6);
        assertEquals(8.75e-3, run.number("two clusters S3 NFE 5 error"), 5e-4);
        assertEquals(4.75e-4, run.number("two clusters S3 NFE 10 error"), 3e-5);
        // the baselines are diffusion-samplers.ipynb's (same noise, same reference)
        assertEquals(1.182e-2, run.number("ring8 DPM-Solver++(2M) NFE 5 error"), 1e-4);
        assertEquals(1.002e-2, run.number("two clusters UniPC-bh2 NFE 10 error"), 1e-4);
        // 200 search points generalise (held-out / search-set 0.48-1.44); 10 points over-fit the two clusters
        for (String t : List.of("ring8", "two clusters"))
            for (int nfe : new int[] {5, 10}) assertEquals(1, run.number(t + " S3 NFE " + nfe + " held-out / search-set"), 0.6, t);
        assertTrue(run.number("two clusters S3 on 10 points NFE 10 held-out / search-set") > 100);
        assertTrue(run.number("two clusters S3 on 10 points NFE 10 error") > run.number("two clusters UniPC-bh2 NFE 10 error"));
        // the search is not exhaustive: with log-SNR-uniform steps it does better on the ring at 5 NFE (5.9e-4 vs 1.8e-3)
        assertEquals(5.91e-4, run.number("ring8 S3 logSNR steps NFE 5 error"), 3e-5);
        assertEquals(7.90e-4, run.number("two clusters S3 logSNR steps NFE 10 error"), 4e-5);
        assertEquals(2, run.count("image/png"), "error vs NFE for two targets");
    }

    @Test
    void stochasticInterpolants() throws Exception {
        NotebookRun run = NotebookRun.execute("stochastic-interpolants");
        assertEquals(List.of(), run.errors(), run.log());
        // Albergo et al.: with exact fields the ODE and the SDEs of every epsilon have the interpolant's marginals.
        // The energy distance to 2000 exact samples is unbiased, zero when the laws agree: Monte Carlo level is
        // about 1e-3 at this size (two exact sample sets: 1.5e-4 at t = 1, 6.5e-4 on the ring)
        List<String> onTarget = List.of("forward ODE", "forward SDE eps=0.5", "forward SDE eps=1", "forward SDE eps=2", "refined SDE eps=4",
                "backward ODE backward", "backward SDE eps=1 backward", "one-sided ODE", "one-sided SDE eps=1", "mirror ODE", "mirror SDE eps=1");
        double worst = 0;
        for (String m : onTarget) {
            worst = Math.max(worst, Math.abs(run.number(m + " energy")));
            assertTrue(run.number(m + " worst sw2") < 0.065, m); // the exact-sample floor's worst over the checkpoints: 0.049, 0.056
        }
        assertTrue(worst < 1.2e-3, "largest |energy| on target " + worst); // measured 9.6e-4
        assertEquals(-9.53e-4, run.number("forward ODE energy"), 1e-4);
        assertEquals(1.53e-4, run.number("forward SDE eps=2 energy"), 1e-4);
        // Euler-Maruyama's bias at epsilon = 4 and 200 steps stands out, and is gone at 800 steps
        assertEquals(2.80e-3, run.number("forward SDE eps=4 energy"), 2e-4);
        assertTrue(run.number("forward SDE eps=4 energy") > 2 * worst);
        assertEquals(3, run.count("image/png"), "energy against t (forward, mirror), the t = 3/4 scatter");
        String tables = String.join("\n", run.data("text/html"));
        assertTrue(tables.contains("SDE eps=4") && tables.contains("exact samples"), tables);
    }

    @Test
    void diffusionTraining() throws Exception {
        NotebookRun run = NotebookRun.execute("diffusion-training");
        assertEquals(List.of(), run.errors(), run.log());
        assertTrue(run.number("SW2 of the noise") > 0.5);
        assertTrue(run.number("SW2 between two data sets") < 0.03);
        for (String o : List.of("flow matching", "score matching (VP)")) {
            assertTrue(run.number(o + " final loss") < 0.8 * run.number(o + " first loss"), o);
            assertTrue(run.number(o + " DPM-Solver++(2M) NFE 20 SW2") < 0.16, o);
        }
        assertTrue(run.number("flow matching DPM-Solver++(2M) NFE 20 SW2") < 0.1);
        // the loss curves are now drawn inside the Lab.fit Runs display (HTML), not as a separate PNG output
        assertEquals(2, run.count("image/png"), "two scatter plots");
        assertTrue(String.join("\n", run.data("text/html")).contains("<td>flow matching</td>"), "the Lab.fit table with its loss curves");
    }

    @Test
    void diffusionQuantization() throws Exception {
        NotebookRun run = NotebookRun.execute("diffusion-quantization");
        assertEquals(List.of(), run.errors(), run.log());
        assertTrue(run.number("SW2 between two exact sample sets") < 0.07);
        double fp = run.number("full precision SW2");
        assertEquals(0.173, fp, 0.02);
        // calibrating on clean data (the classifier recipe) wrecks every sample, at 8 bits too
        assertTrue(run.number("W8A8 t=0.001 min-max median error") > 100);
        // 8 bits, min-max: NDTC beats forward-noised data; the single noise-end time is the closest to full precision
        double ndtc8 = run.number("W8A8 NDTC(0.4, 0.4) min-max error"), fwd8 = run.number("W8A8 forward-noised min-max error");
        assertEquals(0.073, ndtc8, 0.01);
        assertTrue(ndtc8 < 0.5 * fwd8, ndtc8 + " vs " + fwd8);
        assertTrue(run.number("W8A8 NDTC(0.6, 0.4) min-max error") < ndtc8);
        assertTrue(run.number("W8A8 t=1 min-max error") < 0.01);
        // 4 bits, min-max: the paper's claim, NDTC beats both naive calibrations and keeps full-precision quality
        double ndtc4 = run.number("W4A4 NDTC(0.4, 0.4) min-max error");
        assertEquals(0.104, ndtc4, 0.015);
        assertTrue(ndtc4 < 0.6 * run.number("W4A4 forward-noised min-max error"));
        assertTrue(ndtc4 < 0.6 * run.number("W4A4 t=1 min-max error"));
        assertTrue(run.number("W4A4 NDTC(0.4, 0.4) min-max median error") < 0.5 * run.number("W4A4 t=1 min-max median error"));
        assertTrue(run.number("W4A4 NDTC(0.4, 0.4) min-max SW2") < fp + 0.05);
        assertTrue(run.number("W4A4 forward-noised min-max SW2") > fp + 0.05);
        // the MSE range search: typical samples as good, a few flung far away by clipped first-step activations
        assertTrue(run.number("W8A8 NDTC(0.4, 0.4) MSE error") > 10 * ndtc8);
        assertTrue(run.number("W8A8 NDTC(0.4, 0.4) MSE median error") < 2 * run.number("W8A8 NDTC(0.4, 0.4) min-max median error"));
        assertEquals(4, run.count("image/png"), "four scatter plots: full precision and three calibrations");
    }

    @Test
    void diffusionGuidance() throws Exception {
        NotebookRun run = NotebookRun.execute("diffusion-guidance");
        assertEquals(List.of(), run.errors(), run.log());
        // 2-D ring: CFG pushes the class off its mode as w grows; APG (eta = 0) discards most of the guidance
        assertTrue(run.number("2d CFG w=1 distance") < 1.1);
        assertTrue(run.number("2d CFG w=8 distance") > 2);
        assertEquals(1.0, run.number("2d CFG w=8 class accuracy"), 1e-9);
        assertTrue(run.number("2d APG eta=0 w=1 class accuracy") < 0.6);
        // 16-D with a common offset: CFG inflates the scale and leaves the support; APG's projection removes the
        // scale inflation but not the off-support push; the rescaling (and reverse momentum) reduce the latter
        assertEquals(1.0, run.number("16d CFG w=1 distance"), 0.03);
        assertTrue(run.number("16d CFG w=10 scale") > 1.05);
        assertTrue(run.number("16d CFG w=10 distance") > 1.2);
        assertTrue(run.number("16d APG eta=0 w=10 scale") < 1.0);
        assertEquals(run.number("16d CFG w=10 distance"), run.number("16d APG eta=0 w=10 distance"), 0.02);
        assertTrue(run.number("16d APG eta=0, r=0.3 w=10 distance") < 1.12);
        assertTrue(run.number("16d APG eta=0, r=0.3, beta=-0.5 w=10 distance") < run.number("16d APG eta=0, r=0.3 w=10 distance"));
        assertEquals(1.0, run.number("16d APG eta=0, r=0.3 w=10 class accuracy"), 1e-9);
        assertEquals(3, run.count("image/png"), "the 2-D scatter, distance and scale against w");
        // the interactive cell: a slider over w above an output area, which holds its first render, the 2-D scatter
        // at w = 4 from the same noise as the sweep (so its title gives the sweep's w = 4 distances)
        assertEquals(1, run.widgetViews().size(), "one widget view: the w slider and its output area");
        String view = run.widgetViews().getFirst();
        JsonObject slider = run.widgetTree(view).stream().filter(w -> "FloatSliderModel".equals(w.get("model_name").getAsString()))
                .findFirst().orElseThrow(() -> new AssertionError("no slider in " + run.widgetTree(view))).getAsJsonObject("state");
        assertEquals("w", slider.get("description").getAsString());
        assertEquals(4.0, slider.get("value").getAsDouble());
        List<JsonObject> rendered = run.widgetOutputs(view);
        List<String> shown = NotebookRun.data(rendered, "text/plain");
        assertEquals(1, NotebookRun.data(rendered, "image/png").size(), "the first render's figure; shown: " + shown);
        Matcher title = Pattern.compile("w = 4\\.0: CFG ([0-9.]+), APG ([0-9.]+) stds from mode 0").matcher(shown.getFirst());
        assertTrue(title.find(), shown.getFirst());
        assertEquals(run.number("2d CFG w=4 distance"), Double.parseDouble(title.group(1)), 0.006);
        assertEquals(run.number("2d APG eta=0 w=4 distance"), Double.parseDouble(title.group(2)), 0.006);
    }

    @Test
    void adaptiveGuidance() throws Exception {
        NotebookRun run = NotebookRun.execute("adaptive-guidance");
        assertEquals(List.of(), run.errors(), run.log());
        // the noise predictions start parallel (x_T dominates both), dip, and align again late in sampling
        assertTrue(run.number("noise cosine at the first step") > 0.99999);
        assertEquals(0.98885, run.number("noise cosine minimum"), 1e-4);
        // the switch (a crossing of the threshold from below) comes in the last third of the steps
        assertEquals(0.2141, run.number("gamma 0.999 median switch time"), 1e-3);
        assertEquals(0.1406, run.number("gamma 0.9999 median switch time"), 1e-3);
        assertTrue(run.number("gamma 0.99 never switched") > 0.3 && run.number("gamma 0.9999 never switched") < 0.1);
        // the paper's claim: about CFG's error at fewer network evaluations (paper: 25 % fewer)
        assertEquals(40.0, run.number("CFG nfe=20 network evaluations"), 0.0);
        assertEquals(7.063e-4, run.number("CFG nfe=20 error"), 1e-6);
        assertEquals(32.98, run.number("AG 0.9999 nfe=20 network evaluations"), 0.01);
        assertEquals(7.971e-4, run.number("AG 0.9999 nfe=20 error"), 1e-6);
        assertTrue(run.number("AG 0.9999 nfe=20 error") < 1.2 * run.number("CFG nfe=20 error"));
        assertTrue(run.number("AG 0.9999 nfe=16 network evaluations") < 0.85 * 32);
        assertTrue(run.number("AG 0.9999 nfe=16 error") < 1.1 * run.number("CFG nfe=16 error"));
        // at equal work AG is more accurate; at high precision its switch bias loses to CFG
        assertTrue(run.number("AG 0.9999 nfe=20 error") < 0.5 * run.number("CFG nfe=16 error"));
        assertTrue(run.number("CFG nfe=40 error") < 0.3 * run.number("AG 0.9999 nfe=40 error"));
        assertTrue(run.number("AG 0.999 on x0 nfe=20 error") > run.number("AG 0.9999 nfe=20 error"));
        // against the scale: the savings stay, the price grows
        assertTrue(run.number("AG 0.999 w=6 network evaluations") < 34);
        assertTrue(run.number("AG 0.999 w=1.5 error") < 1.05 * run.number("CFG w=1.5 error"));
        assertTrue(run.number("AG 0.999 w=6 error") > 2 * run.number("CFG w=6 error"));
        assertEquals(4, run.count("image/png"), "the cosine trace, the guided share, error against evaluations, error against w");
    }

    @Test
    void diffusionDigits() throws Exception {
        NotebookRun run = NotebookRun.execute("diffusion-digits");
        assertEquals(List.of(), run.errors(), run.log());
        assertTrue(run.number("final loss") < 0.5 * run.number("first loss"));
        double sw2 = run.number("SW2 samples");
        assertTrue(sw2 < 0.15 && sw2 < 0.2 * run.number("SW2 noise"), "samples near the test digits: " + sw2);
        assertTrue(run.number("classifier test accuracy") > 0.9);
        for (int c = 0; c < 10; c++) assertTrue(run.number("digit " + c + " share") > 0.03, "every class is generated: " + c);
        // no memorisation: samples are not closer to the training set than new digits are
        assertTrue(run.number("nearest training image, samples") > run.number("nearest training image, test images"));
        assertEquals(2, run.count("image/png"), "samples and test images");
    }

    @Test
    void diffusionMomentum() throws Exception {
        NotebookRun run = NotebookRun.execute("diffusion-momentum");
        assertEquals(List.of(), run.errors(), run.log());
        // logSNR grid: GHVB 3.8 is 10x more accurate than DPM-Solver++(2M) at 5 NFE on the ring (reference: 1.3e-3 vs 1.1e-2)
        assertTrue(run.number("ring8 logSNR GHVB 3.8 NFE 5 error") < 0.2 * run.number("ring8 logSNR DPM-Solver++(2M) NFE 5 error"));
        assertTrue(run.number("ring8 logSNR GHVB 3.8 NFE 5 error") < run.number("ring8 logSNR AB4 (GHVB 4) NFE 5 error"));
        for (String t : List.of("ring8", "two clusters")) {
            // time-uniform grid: 2M is unstable (worse at 10 NFE than at 5), momentum stabilises it
            double dpm10 = run.number(t + " time-uniform DPM-Solver++(2M) NFE 10 error");
            assertTrue(dpm10 > run.number(t + " time-uniform DPM-Solver++(2M) NFE 5 error"), t);
            assertTrue(run.number(t + " time-uniform 2M + HB (beta 0.8) NFE 10 error") < 0.6 * dpm10, t);
            assertTrue(run.number(t + " time-uniform GHVB 3.8 NFE 10 error") < 0.15 * dpm10, t);
        }
        // heavy ball is first order: on two clusters (logSNR) it is worse than plain 2M
        assertTrue(run.number("two clusters logSNR 2M + HB (beta 0.8) NFE 10 error") > run.number("two clusters logSNR DPM-Solver++(2M) NFE 10 error"));
        assertEquals(4, run.count("image/png"), "error vs NFE: two targets x two grids");
    }

    @Test
    void implicitRidge() throws Exception {
        NotebookRun run = NotebookRun.execute("implicit-ridge");
        assertEquals(List.of(), run.errors(), run.log());
        // the ridge bar's 50-digit reference dL/dλ(0.1) = −0.134384531492049, three ways
        double reference = -0.134384531492049;
        assertEquals(reference, run.number("closed-form dL/dlambda(0.1)"), 1e-12);
        assertEquals(reference, run.number("implicit dL/dlambda(0.1)"), 1e-12);
        assertEquals(reference, run.number("unrolled(3000) dL/dlambda(0.1)"), 1e-12);
        assertTrue(Math.abs(run.number("unrolled(30) dL/dlambda(0.1)") - reference) > 1e-3, "a short unroll is biased");
        assertTrue(run.number("max |implicit - closed form| over the grid") < 1e-9);
        // Blondel et al. Thm 1: the implicit gradient's error is O(forward residual)
        assertTrue(run.number("implicit error at CG rtol 1e-2") > 1e-3);
        assertTrue(run.number("implicit error at CG rtol 1e-12") < 1e-13);
        assertTrue(run.number("max implicit error / forward residual") < 1);
        assertTrue(run.number("implicit error after 200 GD steps") < run.number("unrolled error after 200 GD steps"));
        assertTrue(run.number("unrolled error after 2000 GD steps") < 1e-13);
        // Adam on log λ reaches λ* = 0.163406486946858, L_val(λ*) = 0.386358953601807
        assertEquals(0.163406486946858, run.number("tuned lambda"), 1e-4);
        assertEquals(0.386358953601807, run.number("validation loss at tuned lambda"), 1e-8);
        assertEquals(4, run.count("image/png"), "hypergradients over lambda, error vs CG tolerance, error vs GD steps, tuning path");
    }

    @Test
    void sinkhornNewtonSparse() throws Exception {
        NotebookRun run = NotebookRun.execute("sinkhorn-newton-sparse");
        assertEquals(List.of(), run.errors(), run.log());
        // Tang et al. (ICLR 2024): to 1e-10, SNS needs far fewer iterations and less time than Sinkhorn, same optimum
        // (measured: random assignment 3931 vs 65 iterations, 7x faster; smooth 1-D 5230 vs 32, 60x faster)
        for (String p : List.of("random assignment", "smooth 1-D")) {
            assertEquals(1, run.number(p + " converged"), p);
            assertTrue(run.number(p + " iteration ratio") > 20, p);
            assertTrue(run.number(p + " SNS iterations") < 100, p);
            assertTrue(run.number(p + " time ratio") > 2, p);
            assertTrue(run.number(p + " cost difference") < 1e-12, p);
            assertEquals(run.number(p + " Sinkhorn cost"), run.number(p + " SNS cost"), 1e-12, p);
            assertTrue(run.number(p + " max plan difference") < 1e-9, p);
        }
        // as epsilon goes from 0.01 to 0.002 Sinkhorn's count grows 100x, SNS's 2x
        assertTrue(run.number("Sinkhorn iteration growth eps 0.01 -> 0.002") > 30);
        assertTrue(run.number("SNS iteration growth eps 0.01 -> 0.002") < 3);
        assertEquals(3, run.count("image/png"), "error vs iterations, error vs time, iterations vs 1/epsilon");
        // the Lab.iterate tables (the first HTML output is now the progress display) name the method
        assertTrue(run.data("text/html").stream().anyMatch(h -> h.contains("<td>Sinkhorn-Newton-Sparse</td>")));
    }

    @Test
    void grokkingStablemax() throws Exception {
        NotebookRun run = NotebookRun.execute("grokking-stablemax");
        assertEquals(List.of(), run.errors(), run.log());
        // Prieto et al.: without weight decay float32 softmax memorises and stops (measured test accuracy 0.000, every
        // training row's loss exactly 0); ⊥Grad generalises at once (0.990); StableMax does not collapse and is
        // generalising, slowly (0.399 after 1500 steps; the paper's StableMax run takes tens of thousands of epochs)
        assertTrue(run.number("softmax test accuracy") < 0.05);
        assertEquals(0.9896, run.number("softmax + OrthoGrad test accuracy"), 0.02);
        assertEquals(0.399, run.number("StableMax test accuracy"), 0.05);
        assertTrue(run.number("StableMax test accuracy") > run.number("softmax test accuracy") + 0.3, "StableMax generalises where softmax does not");
        assertEquals(1.0, run.number("softmax final zero-loss rows"));
        assertEquals(0.0, run.number("StableMax final zero-loss rows"));
        assertEquals(0.0, run.number("softmax + OrthoGrad final zero-loss rows"));
        // the failure itself, on the trained softmax network's logits: float32 loss exactly 0, float64's is not;
        // the strict collapse (sum of exp(z - max) == 1) covers only a few rows (0.034): the rest round away in lse
        assertEquals(0.0, run.number("float32 training loss"));
        assertEquals(1.501e-7, run.number("float64 training loss"), 0.05e-7);
        assertEquals(1.0, run.number("float32 zero-loss rows"));
        assertEquals(0.0339, run.number("float32 rows in softmax collapse"), 0.01);
        assertEquals(0.0, run.number("float64 rows in softmax collapse"));
        assertEquals(2, run.count("image/png"), "test error and zero-loss rows per step");
    }

    @Test
    void sparseConstrainedOt() throws Exception {
        NotebookRun run = NotebookRun.execute("sparse-constrained-ot");
        assertEquals(List.of(), run.errors(), run.log());
        // Liu, Puigcerver and Blondel (ICLR 2023) on two 2-D clouds of 60 points, gamma = 100 (measured: exact OT 2.305761,
        // k = 1 the same permutation cost, k >= 13 the quadratically regularised plan, cost 2.385885, 13 nonzeros per column)
        double exact = run.number("exact OT cost");
        assertEquals(2.3057605, exact, 1e-6);
        String k = "clouds sparse OT k=";
        assertEquals(exact, run.number(k + "1 transport_cost"), 1e-9, "k = 1 recovers unregularised OT");
        assertEquals(1, run.number(k + "1 converged"));
        double qot = run.number(k + "60 transport_cost");
        assertEquals(2.385885, qot, 1e-5);
        assertEquals(13, run.number(k + "60 max_nnz"));
        for (int kk : new int[] {1, 2, 3, 5, 8, 13, 20, 60}) {
            assertTrue(run.number(k + kk + " max_nnz") <= kk, "at most k nonzeros per column, k = " + kk);
            double c = run.number(k + kk + " transport_cost");
            assertTrue(c >= exact - 1e-9 && c <= qot + 1e-9, "k = " + kk + ": cost " + c + " between exact OT and quadratic OT");
        }
        for (int kk : new int[] {13, 20, 60}) {
            assertEquals(1, run.number(k + kk + " converged"), "k = " + kk);
            assertEquals(qot, run.number(k + kk + " transport_cost"), 1e-8, "k = " + kk + " >= 13 is quadratic OT");
        }
        // the honest negative: where k binds (2..8) the semi-dual's maximum is a kink and the k-sparse plan misses the row
        // marginal (measured 0.7 % to 7 % of the mass)
        for (int kk : new int[] {2, 3, 5, 8}) {
            assertEquals(0, run.number(k + kk + " converged"), "k = " + kk);
            assertTrue(run.number(k + kk + " final error") > 1e-3, "k = " + kk);
        }
        // smoother at large k: fewer L-BFGS iterations than at k = 1 (measured 43 vs 132)
        assertTrue(run.number(k + "60 iterations") < 0.5 * run.number(k + "1 iterations"));
        // entropic OT: dense plan, transport cost above the exact one
        assertTrue(run.number("entropic smallest plan entry") > 0);
        assertTrue(run.number("entropic OT (eps 0.05) transport cost") > exact);
        // implicit gradient of <C, T> in the source points against a central finite difference (measured 1.4e-6)
        assertTrue(run.number("gradient relative error") < 1e-4);
        assertEquals(3, run.count("image/png"), "cost vs k, iterations vs k, the plans");
    }

    @Test
    void deqVsNode() throws Exception {
        NotebookRun run = NotebookRun.execute("deq-vs-node");
        assertEquals(List.of(), run.errors(), run.log());
        // both learn two moons (measured: DEQ 1.000, neural ODE 0.993 on 150 test points)
        assertTrue(run.number("DEQ test accuracy") > 0.95);
        assertTrue(run.number("neural ODE test accuracy") > 0.95);
        assertEquals(338, run.number("DEQ parameters"), "W 16x16, U 16x2, b 16, head 16x2 + 2");
        assertEquals(446, run.number("neural ODE parameters"), "MLP 5-16-16-4, head 4x2 + 2");
        // forward cost: Anderson iterations (52) and Tsit5 evaluations (98), both bounded
        assertTrue(run.number("DEQ forward iterations") > 0 && run.number("DEQ forward iterations") < 200);
        assertTrue(run.number("neural ODE forward NFE") > 0 && run.number("neural ODE forward NFE") < 300);
        // one parameter's gradient against central differences: implicit (DEQ), through the solver (ODE)
        assertTrue(run.number("DEQ gradient relative error") < 1e-5);
        assertTrue(run.number("neural ODE gradient relative error") < 1e-4);
        assertEquals(2, run.count("image/png"), "training loss, forward cost per step");
        // the summary table (Lab.fit's Runs display, after the progress display) names each model's forward cost
        assertTrue(run.data("text/html").stream().anyMatch(h -> h.contains("forward iterations") && h.contains("forward NFE")));
    }

    @Test
    void equilibriumPropagation() throws Exception {
        NotebookRun run = NotebookRun.execute("equilibrium-propagation");
        assertEquals(List.of(), run.errors(), run.log());
        // symmetric weights: EP is exact up to O(beta^2); the bias grows with the weight asymmetry
        // (measured cosines 1.000000, 0.987659, 0.955034, 0.853989; asymmetry 0, 0.03466, 0.1327, 0.5376)
        assertTrue(run.number("alpha 0.0 cosine") > 1 - 1e-6);
        assertEquals(0, run.number("alpha 0.0 asymmetry"), 1e-12);
        assertEquals(0.98766, run.number("alpha 0.5 cosine"), 1e-3);
        assertEquals(0.95503, run.number("alpha 1.0 cosine"), 2e-3);
        assertEquals(0.85399, run.number("alpha 2.0 cosine"), 5e-3);
        assertEquals(0.1327, run.number("alpha 1.0 asymmetry"), 0.01);
        // training (alpha 0.5, 20 steps): homeostasis shrinks the Jacobian asymmetry (0.0772 -> 0.0106) and keeps EP
        // aligned with the true gradient (cosine 0.9213 -> 0.9742); accuracy 0.875 (backprop), 0.830 (EP), 0.845 (EP + homeostasis)
        assertTrue(run.number("EP + homeostasis final asymmetry") < 0.3 * run.number("EP final asymmetry"));
        assertTrue(run.number("EP + homeostasis final asymmetry") < run.number("alpha 0.5 asymmetry"), "asymmetry falls below its initial value");
        assertTrue(run.number("EP + homeostasis final cosine") > run.number("EP final cosine") + 0.02);
        assertEquals(0.875, run.number("backprop final accuracy"), 0.03);
        assertEquals(0.83, run.number("EP final accuracy"), 0.03);
        assertTrue(run.number("EP + homeostasis final accuracy") >= run.number("EP final accuracy"));
        assertEquals(3, run.count("image/png"), "cosine, asymmetry, accuracy per step");
    }

    @Test
    void homotopyDeq() throws Exception {
        NotebookRun run = NotebookRun.execute("homotopy-deq");
        assertEquals(List.of(), run.errors(), run.log());
        // the models of deq-vs-node, unchanged (measured: DEQ 1.000 with 52 Anderson iterations, neural ODE 0.993 with 98 NFE)
        for (String model : List.of("DEQ", "neural ODE")) {
            assertTrue(run.number(model + " test accuracy") > 0.95, model);
        }
        // the Newton-homotopy ODE's end is the trained DEQ's equilibrium: distance to Anderson's 2.2e-2, 1.1e-3, 9.7e-5,
        // 6.3e-6 at 1, 2, 4, 8 RK4 steps in λ, falling like steps⁻⁴
        double d4 = run.number("homotopy 4 steps distance");
        double d8 = run.number("homotopy 8 steps distance");
        assertTrue(d8 < 1e-5, "8 steps: " + d8);
        assertTrue(d4 / d8 > 8 && d4 / d8 < 32, "RK4 order: 4 vs 8 steps " + d4 / d8);
        assertEquals(33, run.number("homotopy 8 steps Jacobian solves"), "4 per RK4 step and one at the start");
        assertEquals(run.number("DEQ test accuracy"), run.number("homotopy 4 steps test accuracy"));
        // a non-contractive cell (W = −3S/‖S‖, S ⪰ 0): fixed-point iteration fails, the homotopy path reaches the unique root
        assertEquals(0, run.number("fixed-point iteration converged"));
        assertTrue(run.number("fixed-point iteration residual") > 0.1);
        assertEquals(1, run.number("homotopy converged"));
        assertTrue(run.number("homotopy residual") <= 1e-10);
        assertTrue(run.number("homotopy iterations") <= 40, "33 path solves and a Newton correction");
        // Anderson gets near (measured residual 2.9e-8) but does not reach 1e-10 in its 500 iterations
        assertTrue(run.number("Anderson residual") < 1e-6);
        assertEquals(1, run.count("image/png"), "distance to Anderson's equilibrium vs RK4 steps");
    }

    @Test
    void adjointDpm() throws Exception {
        NotebookRun run = NotebookRun.execute("adjoint-dpm");
        assertEquals(List.of(), run.errors(), run.log());
        // the recorded chain is the exact derivative of the 16-step sampler (measured 2.1e-8 against central differences) ...
        assertTrue(run.number("direct vs finite difference relative error") < 1e-6);
        // ... the adjoint an approximation of it: 4.2% off at 16 steps, 9.4e-5 off the converged gradient at 64, order ~4 (RK4, from 16 to 64 steps)
        assertEquals(0.0419, run.number("adjoint vs direct gradient relative error"), 0.003);
        assertEquals(9.37e-5, run.number("adjoint gradient relative error at 64 steps"), 1e-5);
        assertEquals(4.3, run.number("adjoint error order"), 0.3);
        // the paper's reparameterisation: the same adjoint in (t, x) is 100x less accurate at 64 steps on the ring (measured 0.00997)
        assertTrue(run.number("time-form adjoint gradient relative error at 64 steps") > 10 * run.number("adjoint gradient relative error at 64 steps"));
        // memory: the adjoint's tape is the same at 8 and 64 steps (499 elements), the recorded chain's grows 8x (155530 at 8 steps)
        assertEquals(run.number("adjoint tape elements at 8 steps"), run.number("adjoint tape elements at 64 steps"));
        assertEquals(8, run.number("direct tape elements at 64 steps") / run.number("direct tape elements at 8 steps"), 0.1);
        assertTrue(run.number("direct tape elements at 8 steps") > 100 * run.number("adjoint tape elements at 8 steps"));
        // tuning the class means through the sampler: both gradients cut the loss (0.087) by > 50x (measured 254x adjoint, 95x direct)
        // and the conditioning error max|mu - mu*| from 0.24 to < 0.1 (measured 0.035, 0.061)
        double initial = run.number("initial loss");
        for (String m : List.of("adjoint", "direct")) {
            assertTrue(run.number("recovering the class means " + m + " final loss") < initial / 50, m);
            assertTrue(run.number("recovering the class means " + m + " final conditioning error") < 0.1, m);
        }
        assertEquals(3, run.count("image/png"), "gradient error vs steps, tape vs steps, conditioning error per Adam step");
    }

    @Test
    void datasetDistillation() throws Exception {
        NotebookRun run = NotebookRun.execute("dataset-distillation");
        assertEquals(List.of(), run.errors(), run.log());
        assertEquals(449, run.number("test examples"));
        // ridge fit on 10 distilled images (one per class): 0.947 test accuracy; on 10 random real ones 0.58 (best of 20: 0.66)
        double distilled = run.number("distilled images test accuracy");
        assertTrue(distilled > 0.9, "distilled " + distilled);
        assertTrue(distilled > run.number("best of 20 random draws test accuracy") + 0.15);
        assertTrue(run.number("random real images test accuracy") < 0.75);
        assertTrue(run.number("outer loss final") < 0.01 * run.number("outer loss first"));
        assertTrue(run.number("hypergradient relative error") < 1e-5, "implicit hypergradient vs central difference");
        assertEquals(2, run.count("image/png"), "outer loss and test error, the distilled and real images");
    }

    @Test
    void astDistillation() throws Exception {
        NotebookRun run = NotebookRun.execute("ast-distillation");
        assertEquals(List.of(), run.errors(), run.log());
        assertEquals(1210, run.number("parameters"));
        // AST's clipping loss smooths the experts: first/last epoch displacement 4.18 plain, 2.12 smooth (accuracy 0.930 vs 0.907)
        assertEquals(4.175, run.number("plain first/last epoch displacement"), 0.05);
        assertEquals(2.120, run.number("smooth first/last epoch displacement"), 0.05);
        assertTrue(run.number("smooth first/last epoch displacement") < 0.6 * run.number("plain first/last epoch displacement"));
        assertEquals(0.930, run.number("plain expert test accuracy"), 0.01);
        assertEquals(0.907, run.number("smooth expert test accuracy"), 0.01);
        // every matching learns: the loss falls (MTT 0.897 -> 0.096, AST 1.28 -> 0.28) and 10 distilled images beat 10 real ones by > 0.25
        double random = run.number("random real images test accuracy");
        assertEquals(0.559, random, 0.02);
        for (String m : List.of("MTT", "MTT + smooth experts", "AST")) {
            assertTrue(run.number(m + " matching loss final (mean of last 20)") < 0.4 * run.number(m + " matching loss first"), m);
            assertTrue(run.number(m + " test accuracy") > random + 0.25, m);
        }
        // the paper's claim (AST > MTT) does not show: MTT 0.892, MTT + smooth experts 0.870, AST 0.863 (an honest negative)
        assertEquals(0.892, run.number("MTT test accuracy"), 0.02);
        assertEquals(0.870, run.number("MTT + smooth experts test accuracy"), 0.02);
        assertEquals(0.863, run.number("AST test accuracy"), 0.02);
        // the implicit-ridge images: 0.9465 with their ridge model (as in dataset-distillation), 0.457 for the network trained on them
        assertEquals(0.9465, run.number("implicit ridge distillation test accuracy"), 0.005);
        assertTrue(run.number("ridge images, network trained test accuracy") < 0.7);
        assertEquals(0.973, run.number("full training set test accuracy"), 0.01);
        assertEquals(2, run.count("image/png"), "expert displacement, the images");
    }

    @Test
    void bilevelHypercleaning() throws Exception {
        NotebookRun run = NotebookRun.execute("bilevel-hypercleaning");
        assertEquals(List.of(), run.errors(), run.log());
        assertEquals(175, run.number("corrupted examples"), "40% of 400 labels flipped to another class");
        // BO-REP's weights: corrupted examples end low (0.045), clean ones high (0.915), AUC 0.96
        assertTrue(run.number("mean weight corrupted") < 0.2);
        assertTrue(run.number("mean weight clean") > 0.7);
        assertTrue(run.number("weight AUC clean vs corrupted") > 0.9);
        // test accuracy: unweighted 0.716 < BO-REP 0.927 (refit 0.928) <= oracle (clean only) 0.934
        double unweighted = run.number("unweighted test accuracy");
        assertTrue(run.number("BO-REP lower iterate test accuracy") > unweighted + 0.1);
        assertTrue(run.number("BO-REP weights refit test accuracy") > unweighted + 0.1);
        assertTrue(run.number("BO-REP weights refit test accuracy") > run.number("oracle (clean examples only) test accuracy") - 0.03);
        assertEquals(2, run.count("image/png"), "validation loss, sorted weights");
    }

    @Test
    void penaltyBilevel() throws Exception {
        NotebookRun run = NotebookRun.execute("penalty-bilevel");
        assertEquals(List.of(), run.errors(), run.log());
        double unweighted = run.number("unweighted test accuracy");
        assertEquals(0.7156, unweighted, 1e-4);
        // oracle calls: the penalty method 300·3 + 400·(3·3 + 3) gradients and no HVP; BO-REP 300 + 199·3 + 400 gradients, 400 HVPs
        assertEquals(5700, run.number("penalty gradients"));
        assertEquals(0, run.number("penalty HVPs"));
        assertEquals(1297, run.number("BO-REP gradients"));
        assertEquals(400, run.number("BO-REP HVPs"));
        // all three learn weights that separate the corrupted examples (AUC 0.96, 0.96, 0.95) and lift the test accuracy
        // from 0.716 to 0.93 (the clean-only oracle: 0.934)
        for (String m : List.of("implicit", "BO-REP", "penalty")) {
            assertTrue(run.number(m + " weight AUC") > 0.93, m);
            assertTrue(run.number(m + " test accuracy") > unweighted + 0.18, m);
        }
        assertEquals(0.2655, run.number("penalty validation loss"), 2e-3);
        assertEquals(0.2939, run.number("BO-REP validation loss"), 2e-3);
        assertEquals(0.2812, run.number("implicit validation loss"), 2e-3);
        // a step of the penalty method costs a few gradients, one of the implicit method an inner solve: 0.016 s against 0.61 s
        assertTrue(run.number("implicit wall seconds") / 20 > 5 * run.number("penalty wall seconds") / 400);
        // the floor sigma_min at T = 3 inner steps: the O(sigma) bias makes sigma = 1 end above 0.3 (0.276 > 0.266), but below 0.3
        // the 1/sigma-amplified tracking error wins: 0.295 at 0.1, 0.361 at 0.03
        double[] loss = {run.number("penalty sigmaMin=1 validation loss"), run.number("penalty sigmaMin=0.3 validation loss"),
                run.number("penalty sigmaMin=0.1 validation loss"), run.number("penalty sigmaMin=0.03 validation loss")};
        assertTrue(loss[1] < loss[0] && loss[1] < loss[2] && loss[2] < loss[3], java.util.Arrays.toString(loss));
        assertEquals(0.3610, loss[3], 2e-3);
        assertEquals(2, run.count("image/png"), "loss against wall time, the sigma sweep");
    }

    @Test
    void matrixSensing() throws Exception {
        NotebookRun run = NotebookRun.execute("matrix-sensing");
        assertEquals(List.of(), run.errors(), run.log());
        // Xiong et al.: exact parameterisation (k = r) converges linearly: at the f64 floor within 300 steps
        assertTrue(run.number("symmetric k = 3 error at 300") < 1e-25);
        // over-parameterised symmetric (k = 6 > r = 3) is sublinear: ||XX^T - M*||^2 ~ t^-2 (measured slope -1.96)
        assertEquals(-2.0, run.number("over-parameterized log-log rate"), 0.3);
        assertTrue(run.number("symmetric k = 6 error at 3000") > 1e-7);
        // asymmetric F G^T with the same k = 6 and init scale is linear again: a steady number of decades per 1000 steps
        assertTrue(run.number("asymmetric decades per 1000 steps") > 3);
        assertTrue(run.number("asymmetric k = 6 error at 3000") < 1e-6 * run.number("symmetric k = 6 error at 3000"));
        assertEquals(1, run.count("image/png"), "errors of the three factorisations, log-log");
    }

    @Test
    void gpHighFrequencyPde() throws Exception {
        NotebookRun run = NotebookRun.execute("gp-high-frequency-pde");
        assertEquals(List.of(), run.errors(), run.log());
        // Fang et al.: a learned spectral-mixture GP solves the multi-scale Poisson problem (measured 2.2e-4, numpy peer 2.20e-4)
        assertEquals(2.2e-4, run.number("GP-HM error"), 0.5e-4);
        assertEquals(2, run.number("components kept"));
        // the RBF GP on the same 60 points: best length scale in hindsight 0.02 (numpy 1.671e-2), 2.31 at l = 0.1
        assertEquals(0.02, run.number("best RBF lengthscale"), 1e-12);
        assertEquals(1.671e-2, run.number("best RBF error"), 1e-4);
        assertEquals(2.307, run.number("RBF l = 0.1 error"), 0.01);
        assertTrue(run.number("best RBF error / GP-HM error") > 20);
        assertEquals(2, run.count("image/png"), "error vs length scale; pointwise errors");
    }

    @Test
    void grokkingLazyRich() throws Exception {
        NotebookRun run = NotebookRun.execute("grokking-lazy-rich");
        assertEquals(List.of(), run.errors(), run.log());
        // Kumar et al.: the output scale alpha sets the delay between fitting the training set and generalising.
        // Steps to 10% of the initial train and test loss (measured: train 21, 35, 60, 106, 186; test 40, 77, 156, 334, 745)
        String[] alphas = {"0.25", "0.5", "1.0", "2.0", "4.0"};
        assertEquals(60, run.number("α = 1.0 train at 10%"), 3);
        assertEquals(156, run.number("α = 1.0 test at 10%"), 8);
        double previous = 0;
        for (String a : alphas) {
            double gap = run.number("α = " + a + " grokking gap");
            assertTrue(gap > previous, "the gap grows with alpha: " + a + " gives " + gap + " after " + previous);
            previous = gap;
        }
        // ... and faster than the train time: test/train time ratio 1.9 at alpha 0.25 (rich), 4.0 at alpha 4 (lazy)
        assertTrue(run.number("α = 0.25 test at 10%") < 2.5 * run.number("α = 0.25 train at 10%"));
        assertTrue(run.number("α = 4.0 test at 10%") > 3.5 * run.number("α = 4.0 train at 10%"));
        assertTrue(run.number("α = 4.0 grokking gap") > 10 * run.number("α = 0.25 grokking gap")); // measured 559 vs 19
        // the weights move less the larger alpha (measured 6.89 .. 1.51 of their initial norm at the train crossing)
        assertTrue(run.number("α = 0.25 weight change at train 10%") > 3 * run.number("α = 4.0 weight change at train 10%"));
        // the linearized (kernel) model never generalises within the budget: its test loss stays on the plateau (0.647 of its start)
        assertEquals(-1, run.number("linearized (any α) test at 10%"));
        assertTrue(run.number("linearized (any α) final test loss / initial") > 0.4);
        assertTrue(run.number("α = 4.0 final test loss / initial") < 0.1);
        // the tangent kernel aligns with the labels as features are learned, the more the richer (measured 0.029 at init;
        // 0.150, 0.0925, 0.0610, 0.0448, 0.0366 for alpha 0.25 .. 4; the linearized model keeps K0)
        assertEquals(0.0291, run.number("initial NTK alignment"), 0.001);
        assertEquals(run.number("initial NTK alignment"), run.number("linearized (any α) final NTK alignment"), 1e-3);
        double init = run.number("initial NTK alignment"), richer = Double.MAX_VALUE;
        for (String a : alphas) {
            double aligned = run.number("α = " + a + " final NTK alignment");
            assertTrue(aligned > init && aligned < richer, "alignment falls with alpha but stays above its start: " + a + " gives " + aligned);
            richer = aligned;
        }
        // the gain over the start: 0.121 at alpha 0.25 against 0.0075 at alpha 4
        assertTrue(run.number("α = 0.25 final NTK alignment") - init > 5 * (run.number("α = 4.0 final NTK alignment") - init));
        assertEquals(3, run.count("image/png"), "train loss, test loss, steps to 10% against alpha");
    }

    @Test
    void deepLinearDynamics() throws Exception {
        NotebookRun run = NotebookRun.execute("deep-linear-dynamics");
        assertEquals(List.of(), run.errors(), run.log());
        // Saxe et al.: each mode's time to half-learning is (tau/2s) ln((s - u0)/u0); within 5% per mode
        // (measured 1.1%, 0.7%, 0.35%, 0.17% for s = 3, 2, 1, 0.5: the gap is GD's discretisation, lr*s <= 0.03)
        for (int a = 1; a <= 4; a++) assertTrue(run.number("mode " + a + " half-time relative error") < 0.05, "mode " + a);
        // random orthogonal init: steps to 1% loss about the same at depths 1..32 (measured 24..38 at lr 0.1/depth);
        // scaled Gaussian init slows with depth and misses the 250-step budget at depth 32
        double fastest = Double.MAX_VALUE, slowest = 0;
        for (int d : new int[] {1, 2, 4, 8, 16, 32}) {
            fastest = Math.min(fastest, run.number("depth " + d + " orthogonal steps"));
            slowest = Math.max(slowest, run.number("depth " + d + " orthogonal steps"));
        }
        assertTrue(slowest <= 2 * fastest, "orthogonal: depth-independent, " + fastest + ".." + slowest);
        assertTrue(run.number("depth 32 gaussian steps") > 5 * run.number("depth 32 orthogonal steps"));
        assertTrue(run.number("depth 16 gaussian steps") > 3 * run.number("depth 1 gaussian steps"));
        assertEquals(2, run.count("image/png"), "mode strengths vs the sigmoid, steps vs depth");
    }

    @Test
    void edgeOfStability() throws Exception {
        NotebookRun run = NotebookRun.execute("edge-of-stability");
        assertEquals(List.of(), run.errors(), run.log());
        assertEquals(4.41, run.number("initial sharpness"), 0.01, "64-8-10 tanh MLP, seed 0, 200 digits, MSE");
        for (String gd : List.of("GD lr 0.5", "GD lr 1")) {
            // full-batch GD: the sharpness hovers at 2/lr in the second half of training (measured mean ratio 1.038 at lr 0.5, 0.901 at lr 1) ...
            assertEquals(1.0, run.number(gd + " sharpness x lr/2 mean over steps 200-400"), 0.15, gd);
            // ... never far above it (GD cannot stay where the sharpness exceeds 2/lr) ...
            assertTrue(run.number(gd + " max over steps 200-400") < 1.2, gd); // measured 1.079, 0.961
            assertTrue(run.number(gd + " min over steps 200-400") > 0.8, gd); // measured 0.953, 0.868
        }
        // ... after progressive sharpening from well below it (measured 0.659 of 2/lr at steps 10-50 for lr 0.5)
        assertTrue(run.number("GD lr 0.5 min over steps 10-50") < 0.75);
        assertEquals(1, run.count("image/png"), "sharpness vs 2/lr (the loss curves are inside the Runs display)");
        String table = run.data("text/html").getLast();
        assertTrue(table.contains("GD lr 0.5") && table.contains("GD lr 1") && table.contains("data:image/png"), table);
    }

    @Test
    void sgdStability() throws Exception {
        NotebookRun run = NotebookRun.execute("sgd-stability");
        assertEquals(List.of(), run.errors(), run.log());
        int[] batches = {1, 2, 4, 8, 40};
        for (int b : batches) {
            // every run ends at an interpolating minimum (measured train loss 1e-15 at B = 1, ~1e-30 otherwise) ...
            assertTrue(run.number("batch " + b + " train loss") < 1e-10, "batch " + b);
            // ... whose Gauss-Newton trace (Jacobian by autodiff) is the diagonal network's closed form
            assertEquals(run.number("batch " + b + " trace"), run.number("batch " + b + " tracked trace"), 1e-9 * run.number("batch " + b + " trace"));
            // ... and which is linearly stable in mean square for the SGD that found it (measured 0.996, 0.986, 0.977, 0.965, 0.886)
            assertTrue(run.number("batch " + b + " growth at its batch") <= 1.01, "batch " + b);
        }
        // Wu and Su: SGD's minimum has tr H <= 2B(n-1)/(lr(n-B)) (2/lr at B = 1); measured 0.75, 0.73, 0.76, 0.67 of it
        for (int b : new int[] {1, 2, 4, 8}) {
            double ratio = run.number("batch " + b + " trace over bound");
            assertTrue(ratio <= 1 && ratio > 0.5, "batch " + b + ": trace / bound " + ratio);
        }
        // the trace grows linearly with the batch (measured x2.00, x2.21, x1.99 per doubling)
        for (int b : new int[] {1, 2, 4}) {
            double growth = run.number("batch " + 2 * b + " trace") / run.number("batch " + b + " trace");
            assertTrue(growth > 1.5 && growth < 2.6, "batch " + b + " -> " + 2 * b + ": x" + growth);
        }
        assertEquals(29.9, run.number("batch 1 trace"), 3.0);
        // GD only satisfies lambda_max <= 2/lr (measured 0.60 of it) while its trace is 9.7 times SGD(B=1)'s bound,
        // so its minimum is violently unstable for one-example SGD (measured growth 16.2 per step)
        assertTrue(run.number("batch 40 sharpness x lr/2") <= 1);
        assertTrue(run.number("batch 40 trace x lr/2") > 5);
        assertTrue(run.number("batch 40 growth at batch 1") > 5);
        assertTrue(run.number("batch 1 trace x lr/2") <= 1);
        // the smaller trace is a smaller weighted l1 norm, and SGD(B=1) generalises better (measured 0.68 vs 3.35; l1 6.97 vs 9.57)
        assertTrue(run.number("batch 1 l1 norm") < run.number("batch 40 l1 norm") - 1);
        assertTrue(run.number("batch 1 test error") < 0.5 * run.number("batch 40 test error"));
        assertEquals(3, run.count("image/png"), "sharpness vs batch, trace during training, test error vs batch (loss curves inside the Runs display)");
    }

    @Test
    void hessianSpectrum() throws Exception {
        NotebookRun run = NotebookRun.execute("hessian-spectrum");
        assertEquals(List.of(), run.errors(), run.log());
        // Sagun et al.: the trained loss Hessian's top splits into about (classes) outliers and a bulk near zero;
        // under cross-entropy we see classes - 1 = 9 at both widths (softmax's logit Hessian has rank C - 1)
        for (int h : new int[] {16, 64}) {
            assertEquals(9, run.number("h=" + h + " largest gap after eigenvalue"), "h = " + h);
            assertEquals(9, run.number("h=" + h + " eigenvalues above lambda1/10"), "h = " + h);
        }
        assertEquals(5.789, run.number("h=16 gap ratio"), 0.01); // lambda9 / lambda10
        assertEquals(5.642, run.number("h=64 gap ratio"), 0.01);
        assertEquals(0.3573, run.number("h=16 final loss"), 1e-3);
        assertEquals(0.06837, run.number("h=64 final loss"), 1e-4);
        assertEquals(1, run.count("image/png"), "the top 20 eigenvalues of both widths, log scale");
    }

    @Test
    void lightSchrodingerBridge() throws Exception {
        NotebookRun run = NotebookRun.execute("light-schrodinger-bridge");
        assertEquals(List.of(), run.errors(), run.log());
        // the closed-form Gaussian entropic OT plan: tr Cov(X, Y) from Janati et al.'s formula (scipy, LightSchrodingerBridgeTest)
        Map<String, Double> trace = Map.of("0.1", 1.3730437, "1.0", 0.7829607, "10.0", 0.1103276);
        trace.forEach((eps, t) -> assertEquals(t, run.number("eps=" + eps + " closed-form Cov(X,Y) trace"), 1e-5, eps));
        // LightSB with one component, 800 Adam steps on minibatches of 512: the plan within 2% of the closed form for
        // every eps (measured 0.2-0.9%)
        for (String eps : trace.keySet()) {
            assertTrue(run.number("eps=" + eps + " cross-covariance relative error") < 0.02, eps);
            assertTrue(run.number("eps=" + eps + " conditional slope relative error") < 0.02, eps);
            assertTrue(run.number("eps=" + eps + " conditional mean relative error") < 0.02, eps);
        }
        // the benchmark-style mixture pair (eps = 0.1): K = 8 recovers the true conditionals (cBW2-UVP 0.084%) and the
        // target marginal; a single Gaussian potential cannot (57%), the independent plan is the scale (339%)
        double k8 = run.number("K=8 cBW2-UVP"), k1 = run.number("K=1 cBW2-UVP"), independent = run.number("independent plan cBW2-UVP");
        assertTrue(k8 > 0 && k8 < 0.2, "K=8 cBW2-UVP " + k8);
        assertTrue(k1 > 100 * k8 && independent > 5 * k1, k1 + " " + independent);
        assertEquals(338.6, independent, 1);
        assertTrue(run.number("K=8 energy distance") < 0.01 && run.number("K=1 energy distance") > 0.05);
        // the SDE with the closed-form drift, 100 Euler-Maruyama steps, lands on the same marginal
        assertTrue(Math.abs(run.number("K=8 Euler-Maruyama energy distance")) < 0.01);
        assertEquals(3, run.count("image/png"), "the parity plot, the samples, the conditionals (loss curves are in the runs' displays)");
    }

    @Test
    void diffusionInverseProblems() throws Exception {
        NotebookRun run = NotebookRun.execute("diffusion-inverse-problems");
        assertEquals(List.of(), run.errors(), run.log());
        // ring8 given x1 = 0.5: sliced W2 of 1000 draws to 1000 exact posterior draws (two exact sets differ by the floor)
        double floor = run.number("ring exact sw2 floor");
        assertEquals(0.0835, floor, 2e-3);
        assertEquals(0.2428, run.number("ring DPS steps=50 sw2"), 5e-3);
        assertEquals(0.1221, run.number("ring DDS steps=50 sw2"), 3e-3);
        assertEquals(0.2797, run.number("ring RED-diff steps=50 sw2"), 5e-3);
        assertEquals(0.0551, run.number("ring DPS steps=400 sw2"), 2e-3);
        assertEquals(0.0842, run.number("ring RED-diff steps=400 sw2"), 2e-3);
        assertEquals(0.1086, run.number("ring DDS steps=400 sw2"), 3e-3);
        // DDS at 50 NFE: closer to the posterior than DPS, and consistent with y (DPS's residual is several sigma)
        assertTrue(run.number("ring DDS steps=50 sw2") < 0.6 * run.number("ring DPS steps=50 sw2"));
        assertTrue(run.number("ring DDS steps=50 residual") < 1.2 && run.number("ring DPS steps=50 residual") > 5);
        // with 400 NFE DPS and RED-diff reach the exact-sample floor
        assertTrue(run.number("ring DPS steps=400 sw2") < 1.1 * floor && run.number("ring RED-diff steps=400 sw2") < 1.1 * floor);
        // digits mixture prior, 100 real test digits: mse to the truth per pixel
        assertEquals(0.0719, run.number("inpainting mmse"), 1e-3);
        assertEquals(0.1304, run.number("inpainting sample mse"), 2e-3);
        assertEquals(0.0188, run.number("denoising mmse"), 5e-4);
        assertEquals(0.0387, run.number("denoising sample mse"), 1e-3);
        double[][] measured = { // task x method (DPS, RED-diff, DDS) x steps (20, 100)
            {0.1866, 0.1391, 0.1610, 0.1177, 0.2121, 0.1592}, {0.0334, 0.0387, 0.0337, 0.0411, 0.0312, 0.0369}};
        String[] tasks = {"inpainting", "denoising"}, methods = {"DPS", "RED-diff", "DDS"};
        for (int t = 0; t < 2; t++)
            for (int m = 0; m < 3; m++)
                for (int s = 0; s < 2; s++) {
                    String label = tasks[t] + " " + methods[m] + " steps=" + (s == 0 ? 20 : 100) + " mse";
                    double v = run.number(label);
                    assertEquals(measured[t][2 * m + s], v, 0.02 * measured[t][2 * m + s], label);
                    assertTrue(v > run.number(tasks[t] + " mmse"), label + " cannot beat the exact posterior mean");
                }
        // RED-diff (no back-propagation) beats DPS on inpainting at both budgets; DDS beats DPS on denoising at 20 NFE,
        // but with its default gamma = 1 not on inpainting (the measured negative)
        for (int s : new int[] {20, 100})
            assertTrue(run.number("inpainting RED-diff steps=" + s + " mse") < run.number("inpainting DPS steps=" + s + " mse"), "steps " + s);
        assertTrue(run.number("denoising DDS steps=20 mse") < run.number("denoising DPS steps=20 mse"));
        assertTrue(run.number("inpainting DDS steps=20 mse") > run.number("inpainting DPS steps=20 mse"));
        assertEquals(5, run.count("image/png"), "the ring scatter, mse against steps for two tasks, two image grids");
        String tables = html(run);
        assertTrue(tables.contains("vjp") && tables.contains("RED-diff") && tables.contains("inpainting"), tables);
    }

    @Test
    void maskedDiffusion() throws Exception {
        NotebookRun run = NotebookRun.execute("masked-diffusion");
        assertEquals(List.of(), run.errors(), run.log());
        String p = "sticky chain ";
        // Zheng et al.: the first-hitting sampler draws the chain's law exactly (its exact law, by dynamic
        // programming, is the chain's to rounding) at one network call and one draw per token ...
        assertTrue(run.number(p + "first-hitting steps=4 exact_tv") < 1e-14);
        assertEquals(5, run.number(p + "first-hitting steps=4 nfe"));
        assertEquals(5, run.number(p + "first-hitting steps=4 draws"));
        // ... while the time-stepped sampler's factorisation error falls like 1/N (exact values, no sampling noise)
        assertEquals(0.189017, run.number(p + "time-stepped steps=4 exact_tv"), 1e-6);
        assertEquals(0.0467802, run.number(p + "time-stepped steps=16 exact_tv"), 1e-7);
        assertEquals(0.0119683, run.number(p + "time-stepped steps=64 exact_tv"), 1e-7);
        assertEquals(0.00300905, run.number(p + "time-stepped steps=256 exact_tv"), 1e-8);
        double ratio = run.number(p + "time-stepped steps=64 exact_tv") / run.number(p + "time-stepped steps=256 exact_tv");
        assertTrue(ratio > 3.8 && ratio < 4.2, "1/N: " + ratio);
        assertTrue(run.number(p + "time-stepped steps=256 nfe") > 200 && run.number(p + "time-stepped steps=256 draws") > 600);
        // the sampled distance of the first-hitting samples is at the floor of as many exact samples (0.0859)
        assertEquals(run.number(p + "exact samples final tv"), run.number(p + "first-hitting steps=4 final tv"), 0.01);
        // time-agnostic training: the schedule-free ELBO of the exact denoiser is -log p(x), to rounding
        assertEquals(run.number("-log p(x)"), run.number("nelbo(x)"), 1e-11);
        // time-agnostic sampling: the first-hitting law is the same under the cosine schedule; the 16-step law is not
        assertTrue(run.number("cosine first-hitting exact_tv") < 1e-14);
        assertTrue(Math.abs(run.number("cosine time-stepped N=16 exact_tv") - run.number("linear time-stepped N=16 exact_tv")) > 1e-3);
        // half-precision Gumbel noise lowers the token entropy more the more steps are taken; float64 (and float32
        // at this vocabulary) match H(p) = 2.4245 within the sampling noise of 2000 tokens; FHS is unaffected
        double h = run.number("H(p)");
        assertEquals(2.424543, h, 1e-6);
        String z = "Zipf tokens ";
        double half16 = run.number(z + "time-stepped precision=half, steps=16 final token_entropy");
        double half256 = run.number(z + "time-stepped precision=half, steps=256 final token_entropy");
        assertTrue(half256 < h - 0.4 && half256 < half16 - 0.3, half16 + " -> " + half256);
        assertEquals(1.9281, half256, 1e-3);
        for (String precision : new String[] {"float32", "float64"}) {
            for (int n : new int[] {16, 64, 256}) {
                assertEquals(h, run.number(z + "time-stepped precision=" + precision + ", steps=" + n + " final token_entropy"), 0.05);
            }
        }
        for (String precision : new String[] {"half", "float32", "float64"})
            assertEquals(h, run.number(z + "first-hitting precision=" + precision + ", steps=256 final token_entropy"), 0.05);
        assertEquals(2, run.count("image/png"), "exact TV against steps; token entropy against steps");
    }

    @Test
    void consensusOptimization() throws Exception {
        NotebookRun run = NotebookRun.execute("consensus-optimization");
        assertEquals(List.of(), run.errors(), run.log());
        // Ackley from (2, ..., 2): gradient descent stays in the local minimum next to its start ...
        for (int d : new int[] {2, 4, 10}) assertTrue(run.number("ackley " + d + " gradient descent distance") > 1, "d = " + d);
        // ... while CBO (100 particles around the same start, 2000 steps) finds the global one in d = 2 in every seed
        assertEquals(10, run.number("ackley 2 CBO runs within 0.1 of the minimum"));
        // at this fixed budget CBO's success falls with dimension (measured 6 of 10 in d = 4, 0 of 10 in d = 10)
        assertTrue(run.number("ackley 10 CBO runs within 0.1 of the minimum") <= run.number("ackley 2 CBO runs within 0.1 of the minimum"));
        assertEquals(1, run.count("image/png"), "f at the consensus point vs gradient descent, d = 2");
    }

    @Test
    void zerothOrderTraining() throws Exception {
        NotebookRun run = NotebookRun.execute("zeroth-order-training");
        assertEquals(List.of(), run.errors(), run.log());
        // MeZO-SGD trains with two forward passes per step: its training loss falls well below its first epoch's ...
        assertTrue(run.number("MeZO-SGD final train loss") < 0.6 * run.number("MeZO-SGD first epoch train loss"));
        assertTrue(run.number("MeZO-SGD test accuracy") > 0.5, "far above the 0.1 of chance");
        // ... but more slowly per step than first-order SGD on the same batches
        assertTrue(run.number("SGD final train loss") < run.number("MeZO-SGD final train loss"));
        assertTrue(run.number("SGD test accuracy") > 0.9);
        // no optimizer state: the memory of inference (plain SGD without momentum has none either)
        assertEquals(0, run.number("MeZO-SGD state bytes"));
        assertEquals(1, run.count("image/png"), "train loss vs epoch (the Runs display draws its curves in HTML)");
    }

    @Test
    void lambLargeBatch() throws Exception {
        NotebookRun run = NotebookRun.execute("lamb-large-batch");
        assertEquals(List.of(), run.errors(), run.log());
        // each method's best test accuracy over the learning-rate grid 1e-3, 1e-2, 1e-1, at 15 epochs
        java.util.function.BiFunction<String, Integer, Double> best = (m, b) -> java.util.stream.Stream.of("0.001", "0.01", "0.1")
                .mapToDouble(lr -> run.number("digits " + m + " lr=" + lr + ", batch=" + b + " final test_accuracy")).max().orElseThrow();
        assertEquals(0.9755, best.apply("AdamW", 32), 0.002);
        assertEquals(0.9555, best.apply("AdamW", 1024), 0.002);
        assertEquals(0.9577, best.apply("LAMB", 32), 0.002);
        assertEquals(0.9310, best.apply("LAMB", 1024), 0.002);
        // the paper's claim does not hold here (an honest negative): LAMB loses more from batch 32 to 1024 than AdamW
        assertTrue(best.apply("LAMB", 32) - best.apply("LAMB", 1024) > best.apply("AdamW", 32) - best.apply("AdamW", 1024));
        // the mechanism holds exactly: one step per epoch at batch 1024, LAMB moves every layer by lr = 0.01 of its norm ...
        for (int l = 1; l <= 3; l++) assertEquals(0.01, run.number("digits LAMB final layer " + l + " step"), 1e-9);
        // ... while AdamW's relative step differs by layer (measured 0.0335 in layer 1, 0.0257 in layer 3)
        assertTrue(run.number("digits AdamW final layer 1 step") > 1.2 * run.number("digits AdamW final layer 3 step"));
        assertEquals(3, run.count("image/png"), "accuracy against batch, two per-layer step plots");
    }

    @Test
    void lrBatchScaling() throws Exception {
        NotebookRun run = NotebookRun.execute("lr-batch-scaling");
        assertEquals(List.of(), run.errors(), run.log());
        // the learning rate of lowest final training loss (5 epochs, 2 seeds) on each optimizer's grid, a factor sqrt(10) apart
        int[] batches = {16, 64, 256};
        double[] sgd = {0.316, 1.0, 1.0}, adam = {0.01, 0.01, 0.0316};
        for (int i = 0; i < batches.length; i++) {
            assertEquals(sgd[i], run.number("SGD best lr at batch " + batches[i]), 1e-12);
            assertEquals(adam[i], run.number("Adam best lr at batch " + batches[i]), 1e-12);
        }
        // the best lr grows with the batch for both, but here by one grid step from 16 to 256 for each (exponent 0.41):
        // Adam's matches the paper's square root within the grid's resolution (0.42), SGD's falls short of linear
        assertEquals(Math.log(0.0316 / 0.01) / Math.log(16), run.number("Adam exponent"), 1e-9);
        assertEquals(Math.log(1.0 / 0.316) / Math.log(16), run.number("SGD exponent"), 1e-9);
        assertTrue(run.number("SGD exponent") < 0.6, "SGD falls short of the paper's linear scaling at this scale");
        assertEquals(2, run.count("image/png"), "test accuracy against lr, one curve per batch size, for SGD and for Adam");
    }

    @Test
    void refinedSchedules() throws Exception {
        NotebookRun run = NotebookRun.execute("refined-schedules");
        assertEquals(List.of(), run.errors(), run.log());
        // the gradient norms fall during training, so both refined schedules start with a warm-up (measured start 0.037 and
        // 0.126 of the peak, peaks at steps 214 and 253 of 600) and end at 0
        for (String m : List.of("SGD", "Adam")) {
            assertTrue(run.number(m + " refined start") < 0.2, m);
            assertTrue(run.number(m + " refined peak step") > 150 && run.number(m + " refined peak step") < 450, m);
        }
        // mean training loss over the last 100 of 600 steps, 3 initialisations (measured)
        String f = "digits MLP %s final loss";
        assertEquals(0.0782, run.number(f.formatted("SGD cosine")), 0.002);
        assertEquals(0.0793, run.number(f.formatted("SGD linear")), 0.002);
        assertEquals(0.0701, run.number(f.formatted("SGD refined")), 0.002);
        assertEquals(0.0306, run.number(f.formatted("Adam cosine")), 0.001);
        assertEquals(0.0306, run.number(f.formatted("Adam linear")), 0.001);
        assertEquals(0.0282, run.number(f.formatted("Adam refined")), 0.001);
        // here refinement helps both optimizers; linear and cosine are within noise of each other (the paper: linear >= cosine)
        for (String m : List.of("SGD", "Adam")) {
            assertTrue(run.number(f.formatted(m + " refined")) < run.number(f.formatted(m + " linear")), m);
            assertEquals(run.number(f.formatted(m + " linear")), run.number(f.formatted(m + " cosine")), 0.002, m);
        }
        assertEquals(3, run.count("image/png"), "gradient norms, the schedules, the loss curves");
    }

    @Test
    void lastIterate() throws Exception {
        NotebookRun run = NotebookRun.execute("last-iterate");
        assertEquals(List.of(), run.errors(), run.log());
        String sgd = "SGD 0.1/sqrt(t) ", constant = "SGD constant 0.01 ";
        // ||x||_1 in d = 10, noise sigma = 1, 10 seeds: the last iterate with 0.1/sqrt(t+1) converges at rate t^-1/2 (measured -0.4857) ...
        assertEquals(-0.486, run.number(sgd + "loss rate over steps 100-10000"), 0.02);
        assertEquals(0.00998, run.number(sgd + "loss at 10000"), 0.001);
        // ... without a visible log T factor: sqrt(t)·error is 0.993 at t = 100 and 0.998 at 10^4 (log t doubles over that range)
        double growth = run.number(sgd + "loss at 10000") * 100 / (run.number(sgd + "loss at 100") * 10);
        assertTrue(growth > 0.8 && growth < 1.3, "sqrt(t)·error grew by " + growth);
        // the uniform average carries its start (bias ~ 1/t, measured slope -0.9987) and is worse than the last iterate at 10^4
        assertEquals(-1.0, run.number(sgd + "averaged rate over steps 100-10000"), 0.05);
        assertTrue(run.number(sgd + "averaged at 10000") > 1.2 * run.number(sgd + "loss at 10000"));
        // a constant step stalls at a noise floor (measured 0.0893 at 10^4, slope -0.10)
        assertTrue(run.number(constant + "loss at 10000") > 5 * run.number(sgd + "loss at 10000"));
        assertTrue(run.number(constant + "loss rate over steps 100-10000") > -0.2);
        assertEquals(2, run.count("image/png"), "last-iterate and averaged error against the step, log-log");
    }

    @Test
    void frugalMemory() throws Exception {
        NotebookRun run = NotebookRun.execute("frugal-memory");
        assertEquals(List.of(), run.errors(), run.log());
        // optimizer state (f64): AdamW keeps 2 slots of 17290 weights; FRUGAL only the biases (266) and its state-full matrices
        assertEquals(16 * 17290, run.number("digits AdamW state_bytes"));
        assertEquals(16 * (266 + 4096), run.number("digits FRUGAL rho=0.2 state_bytes"), "one 64x64 matrix state-full");
        assertEquals(16 * (266 + 4096 + 640), run.number("digits FRUGAL rho=0.4 state_bytes"));
        assertEquals(16 * (266 + 2 * 4096 + 640), run.number("digits FRUGAL rho=0.6 state_bytes"));
        // FRUGAL's claim: a quarter of AdamW's state costs little accuracy (mean over three seeds)
        double adamw = run.number("digits AdamW final test_accuracy"), rho02 = run.number("digits FRUGAL rho=0.2 final test_accuracy");
        assertEquals(0.957684, adamw, 1e-6);
        assertEquals(0.953229, rho02, 1e-6);
        assertEquals(0.955457, run.number("digits FRUGAL rho=0.6 final test_accuracy"), 1e-6);
        assertTrue(adamw - rho02 < 0.01, "within one point of AdamW at 25% of its state");
        assertEquals(1, run.count("image/png"), "accuracy vs state bytes (the runs' display draws its curves in HTML)");
        assertTrue(html(run).contains("<img src=\"data:image/png"), "the runs' display shows the accuracy curves");
    }

    @Test
    void mfacCost() throws Exception {
        NotebookRun run = NotebookRun.execute("mfac-cost");
        assertEquals(List.of(), run.errors(), run.log());
        // M-FAC's memory cost is its window: m gradients of the 2410 weights (f64), against Adam's two moments
        assertEquals(2 * 2410 * 8, run.number("digits Adam state_bytes"));
        assertEquals(8 * 2410 * 8, run.number("digits M-FAC m=8 state_bytes"));
        assertEquals(32 * 2410 * 8, run.number("digits M-FAC m=32 state_bytes"));
        // an honest negative: at the same learning rate (Adam's best of 1e-5..1e-2) M-FAC trains worse than Adam here
        assertEquals(0.965850, run.number("digits Adam final test_accuracy"), 1e-6);
        assertEquals(0.861173, run.number("digits M-FAC m=8 final test_accuracy"), 1e-6);
        assertEquals(0.902747, run.number("digits M-FAC m=32 final test_accuracy"), 1e-6);
        assertTrue(run.number("digits Adam final train_loss") < 0.1 * run.number("digits M-FAC m=32 final train_loss"));
        // the cost per step is printed (wall time / 420 steps) but not asserted: on a shared 2-core machine it is noise
        assertTrue(run.number("M-FAC m=32 ms per step") > 0);
        assertEquals(1, run.count("image/png"), "train loss per epoch (the runs' display draws its curves in HTML)");
    }

    @Test
    void exadamEarly() throws Exception {
        NotebookRun run = NotebookRun.execute("exadam-early");
        assertEquals(List.of(), run.errors(), run.log());
        // EXAdam's claim, faster early convergence than Adam at the same learning rate (means over three seeds) ...
        assertEquals(6, run.number("Adam epochs to train loss 0.5"));
        assertEquals(2, run.number("EXAdam epochs to train loss 0.5"));
        assertEquals(2, run.number("EXAdam log step epochs to train loss 0.5"));
        assertEquals(1.3657, run.number("Adam train loss at epoch 2"), 1e-4);
        assertEquals(0.3523, run.number("EXAdam train loss at epoch 2"), 1e-4);
        assertEquals(0.1881, run.number("EXAdam log step train loss at epoch 2"), 1e-4);
        // ... and still, less so, against Adam at three times the rate (EXAdam's steps are larger than Adam's)
        assertEquals(3, run.number("Adam lr=3e-3 epochs to train loss 0.5"));
        assertEquals(0.5542, run.number("Adam lr=3e-3 train loss at epoch 2"), 1e-4);
        assertEquals(0.963623, run.number("digits EXAdam final test_accuracy"), 1e-6);
        assertEquals(0.944321, run.number("digits Adam final test_accuracy"), 1e-6);
        assertEquals(1, run.count("image/png"), "train loss per epoch (the runs' display draws its curves in HTML)");
    }

    @Test
    void stableSpamSpikes() throws Exception {
        NotebookRun run = NotebookRun.execute("stable-spam-spikes");
        assertEquals(List.of(), run.errors(), run.log());
        String clean = "least squares, f32, spikes x1 ", spiked = "least squares, f32, spikes x1000 ";
        // without spikes both converge (Stable-SPAM faster at the same lr); final losses, mean over three starts
        assertEquals(0.465092, run.number(clean + "Adam final loss"), 1e-5);
        assertEquals(2.83941e-3, run.number(clean + "Stable-SPAM final loss"), 1e-7);
        // a x1000 gradient spike every 100 steps derails Adam (its second moment remembers each spike) ...
        assertEquals(53.5899, run.number(spiked + "Adam final loss"), 1e-3);
        assertTrue(run.number(spiked + "Adam final loss") > 100 * run.number(clean + "Adam final loss"));
        assertTrue(run.number("Adam spiked loss at step 100") > run.number("Adam spiked loss at step 50"), "the first spike (step 50) sets Adam back");
        // ... while Stable-SPAM's clipping and norm scaling train through them
        assertEquals(3.25044e-5, run.number(spiked + "Stable-SPAM final loss"), 1e-9);
        assertTrue(run.number(spiked + "Stable-SPAM final loss") < run.number(clean + "Stable-SPAM final loss"));
        assertEquals(2, run.count("image/png"), "loss per step without and with spikes (the runs' display draws in HTML)");
    }

    @Test
    void mkorSteps() throws Exception {
        NotebookRun run = NotebookRun.execute("mkor-steps");
        assertEquals(List.of(), run.errors(), run.log());
        // loss over the last 50 of 400 steps: MKOR's preconditioning moves SGD's curve only a little here,
        // and Adam is far ahead (an honest negative for MKOR's claim at this scale)
        assertEquals(0.117478, run.number("digits SGD final loss"), 1e-6);
        assertEquals(0.109824, run.number("digits MKOR + SGD final loss"), 1e-6);
        assertEquals(0.0137095, run.number("digits Adam final loss"), 1e-7);
        // the cost per step is printed (wall time / 400 steps), not asserted: on a shared 2-core machine it is noise
        assertTrue(run.number("MKOR + SGD ms per step") > 0);
        assertTrue(html(run).contains("<img src=\"data:image/png"), "the runs' display shows the loss curves");
    }

    @Test
    void informationPlane() throws Exception {
        NotebookRun run = NotebookRun.execute("information-plane");
        assertEquals(List.of(), run.errors(), run.log());
        // our rotation-invariant rule on the 4096 patterns: p(y=1) = 2178/4096 (the official var_u labels: 0.517)
        assertEquals(2178.0 / 4096, run.number("p(y=1)"), 1e-4);
        assertEquals(0.9971, run.number("H(Y) bits"), 1e-4);
        // Shwartz-Ziv and Tishby: a short fitting phase (I(T;Y) of the deep layers rises to about H(Y)) ...
        for (int l = 3; l <= 5; l++) assertEquals(11, run.number("tanh T" + l + " peak epoch"), "T" + l + " fits within the first 1% of training");
        assertEquals(0.1366, run.number("tanh T5 first I(T;Y)"), 1e-3);
        assertEquals(0.9941, run.number("tanh T5 final I(T;Y)"), 1e-3);
        assertTrue(run.number("tanh T5 final I(T;Y)") > 0.99 * run.number("H(Y) bits"));
        // ... then a long compression phase: I(X;T) of the deep tanh layers falls by bits (measured 0.549, 3.489, 5.068)
        assertEquals(0.5491, run.number("tanh T3 compression"), 0.02);
        assertEquals(3.489, run.number("tanh T4 compression"), 0.02);
        assertEquals(5.068, run.number("tanh T5 compression"), 0.02);
        assertEquals(12.0, run.number("tanh T1 final I(X;T)"), 1e-3, "the first layer keeps every pattern apart");
        // Saxe et al.: with ReLU units no layer compresses (measured at most 0.092 bits, T4), while fitting still happens
        for (int l = 1; l <= 5; l++) assertTrue(run.number("ReLU T" + l + " compression") < 0.2, "ReLU T" + l);
        assertEquals(0.02825, run.number("ReLU T5 compression"), 0.01);
        assertTrue(run.number("ReLU T5 final I(T;Y)") > 0.95 && run.number("ReLU T5 first I(T;Y)") < 0.01);
        assertEquals(0.9902, run.number("tanh final test accuracy"), 2e-3);
        assertEquals(0.9463, run.number("ReLU final test accuracy"), 2e-3);
        assertEquals(2, run.count("image/png"), "the tanh and the ReLU information planes, coloured by epoch");
    }

    @Test
    void fractionalSde() throws Exception {
        NotebookRun run = NotebookRun.execute("fractional-sde");
        assertEquals(List.of(), run.errors(), run.log());
        // Daems et al. (ICLR 2024): K = 5 OU processes with the optimal weights approximate type-II fBM closely
        // (closed form, deterministic; the weights match numpy's solve in FractionalNoiseTest)
        assertEquals(3.288e-3, run.number("H=0.3 K=5 relative error"), 2e-5);
        assertEquals(1.710e-5, run.number("H=0.7 K=5 relative error"), 2e-7);
        assertTrue(run.number("H=0.3 K=10 relative error") <= run.number("H=0.3 K=5 relative error"));
        for (double h : new double[] {0.3, 0.7}) {
            String p = String.format(java.util.Locale.ROOT, "H=%.1f ", h);
            // the paths' Hurst exponent from the variance scaling: Markov paths, exact Cholesky paths, closed form
            assertEquals(h, run.number(p + "Hurst of Markov paths"), 0.025, p);
            assertEquals(h, run.number(p + "Hurst of exact paths"), 0.015, p);
            assertEquals(h, run.number(p + "Hurst of Markov variance (closed form)"), 0.003, p);
            assertEquals(1, run.number(p + "Markov closed-form Var B(1) / exact"), 0.005, p);
            assertEquals(1, run.number(p + "Markov Var B(1) / exact"), 0.1, p);   // 1000 paths: 4.5% standard error
            // the drift rate (true 2) from 100 paths by the Markov model's likelihood; a Brownian model is far off
            assertEquals(2, run.number(p + "fractional model theta"), 0.2, p);
            assertTrue(Math.abs(run.number(p + "Brownian model theta") - 2) > 0.5, p);
        }
        assertEquals(1.8719, run.number("H=0.3 fractional model theta"), 1e-3);
        assertEquals(1.9162, run.number("H=0.7 fractional model theta"), 1e-3);
        assertEquals(9.6794, run.number("H=0.3 Brownian model theta"), 1e-3);
        assertEquals(1.1050, run.number("H=0.7 Brownian model theta"), 1e-3);
        assertEquals(4, run.count("image/png"), "error vs K, variance scaling, sample paths, drift likelihoods");
    }

    @Test
    void transformOnce() throws Exception {
        NotebookRun run = NotebookRun.execute("transform-once");
        assertEquals(List.of(), run.errors(), run.log());
        // both learn the heat operator u0 -> u(1) (measured: FNO 1.07e-2, T1 1.94e-2 relative L2 on 64 test pairs)
        assertEquals(1.074e-2, run.number("FNO test relative L2"), 1.5e-3);
        assertEquals(1.944e-2, run.number("T1 test relative L2"), 2e-3);
        assertEquals(34193, run.number("FNO parameters"), "lift 2x16+16, 4 x (2 x 16x16x16 spectral + 16x16+16 pointwise), project 16x16+16, out 16+1");
        assertEquals(20832, run.number("T1 parameters"), "encode 32x64+64, 4 x (64x64+64), decode 64x32+32");
        // the paper's claim on cost: a step of T1 is at least 3x cheaper than an FNO step (measured 28x on 2 loaded cores)
        assertTrue(run.number("T1 speed-up per step") > 3, "speed-up " + run.number("T1 speed-up per step"));
        assertEquals(1, run.count("image/png"), "training loss of both models");
    }

    @Test
    void neuralStagger() throws Exception {
        NotebookRun run = NotebookRun.execute("neural-stagger");
        assertEquals(List.of(), run.errors(), run.log());
        // the Crank–Nicolson scheme solved mode by mode: the floor of a solver trained on that grid's physics loss
        double fine16 = run.number("Crank-Nicolson 64 points 16 modes rollout error"), fine8 = run.number("Crank-Nicolson 64 points 8 modes rollout error");
        assertEquals(9.583e-4, fine16, 1e-6);
        assertEquals(2.948e-2, run.number("Crank-Nicolson 16 points 16 modes rollout error"), 3e-5);
        assertEquals(8.587e-4, fine8, 1e-6);
        assertEquals(1.605e-2, run.number("Crank-Nicolson 16 points 8 modes rollout error"), 2e-5);
        // the paper's claim where the sub-grids resolve the states (8 modes): four 16-point solvers trained on the
        // 64-point physics loss reach the fine scheme's error (measured 8.587e-4, equal to the full grid's), one
        // 16-point solver on its own grid's physics only its coarse scheme's (measured 1.605e-2)
        assertEquals(fine8, run.number("full grid, 8 modes rollout error"), 0.02 * fine8);
        assertEquals(fine8, run.number("NeuralStagger s=4, 8 modes rollout error"), 0.02 * fine8);
        assertEquals(1.605e-2, run.number("coarse grid s=4, 8 modes rollout error"), 1e-3);
        assertTrue(run.number("coarse grid s=4, 8 modes rollout error") > 10 * run.number("NeuralStagger s=4, 8 modes rollout error"));
        // 16-mode states: s = 2 still matches the full grid (measured 9.630e-4 vs 9.610e-4); s = 4 aliases modes 8-15
        // and stalls near the coarse grid (measured 2.161e-2 vs 2.948e-2); solver 0 run alone 2.117e-2
        assertEquals(9.610e-4, run.number("full grid rollout error"), 0.05 * fine16);
        assertEquals(run.number("full grid rollout error"), run.number("NeuralStagger s=2 rollout error"), 0.05 * fine16);
        assertEquals(2.161e-2, run.number("NeuralStagger s=4 rollout error"), 2e-3);
        assertEquals(2.948e-2, run.number("coarse grid s=4 rollout error"), 2e-3);
        assertEquals(2.117e-2, run.number("NeuralStagger s=4 solver 0 alone rollout error"), 2e-3);
        assertEquals(8320, run.number("full grid parameters per solver"), "encode 64x64+64, decode 64x64+64");
        assertEquals(2112, run.number("NeuralStagger s=2 parameters per solver"), "encode 32x32+32, decode 32x32+32");
        assertEquals(544, run.number("NeuralStagger s=4 parameters per solver"), "encode 16x16+16, decode 16x16+16");
        assertEquals(544, run.number("coarse grid s=4 parameters per solver"));
        // no assertion on time per step: the s solvers run in sequence on this CPU and per-operation overhead dominates
        assertEquals(2, run.count("image/png"), "physics residual curves, error fields at t = 1");
    }
}
