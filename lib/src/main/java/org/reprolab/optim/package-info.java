/**
 * Optimizers as composable gradient transformations (the Optax idea) with torch-style parameter
 * groups, fused into one device pass per stage, with schedules, clipping, accumulation and state that
 * resumes bit-exactly.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>{@link org.reprolab.optim.Elementwise}: a record whose components are its hyper-parameters
 *       (each range declared once with {@link org.reprolab.optim.Range}); it contributes an expression
 *       fragment that names the kernel scalars it reads ({@link org.reprolab.optim.Pass#hyper},
 *       {@link org.reprolab.optim.Pass#scalar}), per-element slots, host state, and optionally tensor or
 *       group {@link org.reprolab.optim.Reduction reductions} and per-channel
 *       {@link org.reprolab.optim.Elementwise#rowProducts row products}. A
 *       {@link org.reprolab.optim.Chain} of them compiles into one fused kernel per stage, cut before
 *       each transformation that needs a reduction or row products.</li>
 *   <li>{@link org.reprolab.optim.Optimizer}: binds a chain to named parameters and groups; it updates
 *       each parameter in place in its own device buffer ({@code jvm} or {@code opencl}), keeps the
 *       state on that device and syncs with the host once per reduction stage. Inside: {@code Plan}
 *       cuts and compiles a chain into stages, {@code ParamGroups} binds parameters to groups,
 *       {@code StageRunner} executes one stage on the device, {@code TensorState} is one parameter's
 *       state.</li>
 *   <li>Work that is not element-wise runs beside the optimizer: {@link org.reprolab.optim.Curvature}
 *       estimates Hessian diagonals for the {@code "hessian"} aux input (Hutchinson, AdaHessian's
 *       |Hv| with spatial averaging, Gauss–Newton–Bartlett), and {@link org.reprolab.optim.Mkor}
 *       preconditions linear layers' gradients by Kronecker factors before the step.</li>
 *   <li>Policies around an optimizer, for rules a chain link cannot express: {@link org.reprolab.optim.Sam}
 *       (a second gradient at a perturbed point, through a closure), {@link org.reprolab.optim.Muon}
 *       (Newton–Schulz orthogonalisation of matrix momenta, a {@link org.reprolab.optim.MuonOptimizer}),
 *       and {@link org.reprolab.optim.SwappedParams} (evaluation at schedule-free's average or Lookahead's slow weights).
 *       Lookahead, schedule-free averaging and Prodigy are chain links ({@link org.reprolab.optim.Lookahead},
 *       {@link org.reprolab.optim.ScaleByScheduleFree}, {@link org.reprolab.optim.ScaleByProdigy}); the
 *       metric-driven {@link org.reprolab.optim.Plateau} schedule is fed with
 *       {@link org.reprolab.optim.Plateau#observe} and saved beside the optimizer's state.</li>
 * </ul>
 *
 * <h2>Rules and how each is checked</h2>
 * <ul>
 *   <li>torch 1.13 ({@code TorchReferenceTest}, f64, 200 steps, 1e-12, frozen trajectories from
 *       {@code src/test/python/torch_optim_ref.py}): SGD (momentum, dampening, Nesterov), Adam, AdamW,
 *       AMSGrad, NAdam (with 1.13's single-tensor bug as a flag), RAdam, Adagrad, RMSprop, schedules.</li>
 *   <li>Official code's rule re-implemented as scalar loops ({@code OfficialRulesTest}, 100 steps,
 *       1e-12): LAMB, AdaBelief, diffGrad, Adan, Lion and Lion-κ, SGD-SaI, Sophia-G, AdaHessian, EXAdam,
 *       Stable-SPAM, AdamP, SGDP, M-FAC (against the code's {@code HInvSlow}); MKOR ({@code MkorTest}).
 *       Sophia-H follows the paper's Algorithm 3 ({@code CurvatureTest}).</li>
 *   <li>The same for the wave-2 rules, 100 steps, 1e-12: Lookahead around torch SGD/Adam and
 *       schedule-free SGD/AdamW with warmup and the evaluation point {@code x}
 *       ({@code AveragingRulesTest}), SAM and ASAM ({@code SamTest}), Muon with its auxiliary Adam
 *       ({@code MuonTest}), Prodigy with its options ({@code ProdigyTest}). Schedules torch has
 *       (exponential, polynomial, SGDR, one-cycle, reduce-on-plateau) value for value against torch 1.13
 *       ({@code TorchScheduleTest}, {@code src/test/python/torch_schedule_ref.py}).</li>
 *   <li>FRUGAL, blockwise ({@code FrugalTest}, 100 steps with re-selections, 1e-12): against a scalar
 *       re-implementation of the official code's {@code BlockAdamW}, with its state memory and resume.</li>
 *   <li>Closed-form first steps ({@code FirstStepTest}); finite-difference Hessian-vector products and
 *       the estimators' expectations ({@code CurvatureTest}); OpenCL against the JVM device
 *       ({@code CrossDeviceOptimizerTest}); resume, memory and error messages ({@code OptimizerTest}).</li>
 * </ul>
 *
 * <p>FRUGAL ({@link org.reprolab.optim.Frugal}) is an optimizer-level policy, in its blockwise form:
 * whole tensors move between the chain (with fresh slots) and a state-free signSGD step, so only the
 * state-full ones hold state; {@code FrugalTest} checks it against a scalar re-implementation of the
 * official code's {@code BlockAdamW}. Not here: its projection variants (GaLore-like, RandK), whose
 * saving needs compact state for a changing subset of coordinates inside a tensor, which dense
 * per-parameter slots do not give.
 */
package org.reprolab.optim;
