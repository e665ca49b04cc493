package org.reprolab.optim;

import static org.reprolab.optim.Transform.chain;
import static org.reprolab.optim.Transforms.addDecayedWeights;
import static org.reprolab.optim.Transforms.scaleByLearningRate;
import static org.reprolab.optim.Transforms.trace;

/**
 * The familiar optimizers as chains (Optax {@code alias.py}), with the official code's defaults.
 * Tune them by name: {@code adam(1e-3).with("beta2", 0.95).with("amsgrad", true)}. Where the weight
 * decay sits in the chain decides its kind: before the rule it is L2 (torch Adam, SGD, NAdam, RAdam,
 * Adagrad, RMSprop), after it decoupled (AdamW, LAMB, Lion, Sophia).
 */
public final class Optimizers {
    private Optimizers() {}

    /**
     * torch SGD ({@code torch/optim/sgd.py}): L2 weight decay, momentum with dampening and Nesterov
     * (Sutskever et al., ICML 2013). Hyper-parameters: lr, momentum, dampening, nesterov, weight_decay.
     */
    public static Chain sgd(double lr) {
        return chain(addDecayedWeights(0), trace(0, 0, false), scaleByLearningRate(lr));
    }

    /**
     * MeZO-SGD (Malladi et al., NeurIPS 2023): SGD on the zeroth-order estimate of {@link ZerothOrder}
     * (two forward passes with a seeded perturbation of size {@code eps}, no backward pass); a training
     * loop that sees the {@link ZerothOrder} part feeds it that estimate. No optimizer state.
     */
    public static Chain mezo(double lr, double eps) {
        return chain(new ZerothOrder(eps), sgd(lr));
    }

    public static Chain sgd(double lr, double momentum) {
        return sgd(lr).with("momentum", momentum);
    }

    /** torch Adam, L2 weight decay; defaults (0.9, 0.999, 1e-8, wd 0). Flags: amsgrad. */
    public static Chain adam(double lr) {
        return chain(addDecayedWeights(0), new ScaleByAdam(0.9, 0.999, 1e-8, false, true), scaleByLearningRate(lr));
    }

    /** torch AdamW: decoupled weight decay (default 1e-2, Loshchilov and Hutter, ICLR 2019). */
    public static Chain adamw(double lr) {
        return adamw(lr, 1e-2);
    }

    public static Chain adamw(double lr, double weightDecay) {
        return chain(new ScaleByAdam(0.9, 0.999, 1e-8, false, true), addDecayedWeights(weightDecay), scaleByLearningRate(lr));
    }

    /** torch Adam with {@code amsgrad=True} (Reddi et al., ICLR 2018). */
    public static Chain amsgrad(double lr) {
        return adam(lr).with("amsgrad", true);
    }

    /** torch NAdam (default lr 2e-3, momentum_decay 4e-3); {@code torch113_bug} reproduces 1.13's single-tensor path. */
    public static Chain nadam(double lr) {
        return chain(addDecayedWeights(0), new ScaleByNadam(0.9, 0.999, 1e-8, 4e-3, false), scaleByLearningRate(lr));
    }

    /** torch RAdam (threshold rho_t > 5, SGD step before); {@code official=true} for LiyuanLucasLiu/RAdam's. */
    public static Chain radam(double lr) {
        return chain(addDecayedWeights(0), new ScaleByRadam(0.9, 0.999, 1e-8, false), scaleByLearningRate(lr));
    }

    /** torch Adagrad (default lr 1e-2, eps 1e-10, lr_decay 0, initial_accumulator_value 0). */
    public static Chain adagrad(double lr) {
        return chain(addDecayedWeights(0), new ScaleByAdagrad(0, 1e-10, 0), scaleByLearningRate(lr));
    }

    /** torch RMSprop (default lr 1e-2, alpha 0.99, eps 1e-8; centered, momentum). */
    public static Chain rmsprop(double lr) {
        return chain(addDecayedWeights(0), new ScaleByRms(0.99, 1e-8, false), trace(0, 0, false), scaleByLearningRate(lr));
    }

    /**
     * LAMB as in cybertronai/pytorch-lamb ({@code lamb.py}, the code kozistr's README links): Adam without
     * bias correction and eps 1e-6, decoupled weight decay inside the trust-ratio direction, trust
     * ratio {@code clamp(||p||, 0, 10)/||u||}. For the later paper versions' bias correction:
     * {@code .with("debias", true)}.
     */
    public static Chain lamb(double lr) {
        return chain(new ScaleByAdam(0.9, 0.999, 1e-6, false, false), addDecayedWeights(0),
                new Transforms.ScaleByTrustRatio(10), scaleByLearningRate(lr));
    }

    /** AdaBelief, adabelief_pytorch 0.2.0 defaults: lr 1e-3, eps 1e-16, decoupled weight decay 0, rectify on. */
    public static Chain adaBelief(double lr) {
        return chain(new ScaleByAdaBelief(0.9, 0.999, 1e-16, true), addDecayedWeights(0), scaleByLearningRate(lr));
    }

    /** diffGrad v2: Adam's defaults, L2 weight decay. */
    public static Chain diffGrad(double lr) {
        return chain(addDecayedWeights(0), new ScaleByDiffGrad(0.9, 0.999, 1e-8), scaleByLearningRate(lr));
    }

    /** Adan, sail-sg defaults: betas (0.98, 0.92, 0.99), eps 1e-8, proximal weight decay 0. */
    public static Chain adan(double lr) {
        return chain(new ScaleByAdan(0.98, 0.92, 0.99, 1e-8), scaleByLearningRate(lr), new ProximalDecay(0));
    }

    /** Adan with {@code no_prox=True}: decoupled weight decay before the step. */
    public static Chain adanNoProx(double lr, double weightDecay) {
        return chain(new ScaleByAdan(0.98, 0.92, 0.99, 1e-8), addDecayedWeights(weightDecay), scaleByLearningRate(lr));
    }

    /** Lion, google/automl defaults: lr 1e-4, betas (0.9, 0.99), decoupled weight decay 0. */
    public static Chain lion(double lr) {
        return chain(new ScaleByLion(0.9, 0.99), addDecayedWeights(0), scaleByLearningRate(lr));
    }

    /** SGD-SaI, official defaults: lr 1e-2, momentum 0.9, eps 1e-8, decoupled weight decay 1e-2. */
    public static Chain sgdSai(double lr) {
        return chain(new ScaleBySgdSai(0.9, 1e-8), addDecayedWeights(1e-2), scaleByLearningRate(lr));
    }

    /**
     * Sophia-G, Liuhong99/Sophia defaults: lr 1e-4, betas (0.965, 0.99), rho 0.04, weight decay 0.1,
     * k = 10; {@code bs} is the batch factor of the Gauss–Newton–Bartlett estimate (1 for a true-scale
     * estimate). Needs aux input "hessian" when {@link Optimizer#needsAux} says so.
     */
    public static Chain sophiaG(double lr, double bs) {
        return chain(new ScaleBySophia(0.965, 0.99, 0.04, bs, 1e-15, 10, ScaleBySophia.Variant.G), addDecayedWeights(0.1),
                scaleByLearningRate(lr));
    }

    /** Sophia-H as the paper's Algorithm 3 ([paper]): betas (0.96, 0.99), gamma 0.01, eps 1e-12, k = 10. */
    public static Chain sophiaH(double lr) {
        return chain(new ScaleBySophia(0.96, 0.99, 0.01, 1, 1e-12, 10, ScaleBySophia.Variant.H), addDecayedWeights(0),
                scaleByLearningRate(lr));
    }

    /**
     * AdaHessian, official defaults: lr 0.15, betas (0.9, 0.999), eps 1e-4, Hessian power 1, weight
     * decay 0 (added to the direction, inside the learning rate, as the code does). Needs aux input
     * "hessian" every step: {@link Curvature#adaHessian}.
     */
    public static Chain adaHessian(double lr) {
        return chain(new ScaleByAdaHessian(0.9, 0.999, 1e-4, 1), addDecayedWeights(0), scaleByLearningRate(lr));
    }

    /** EXAdam, latest official code: lr 1e-3, betas (0.9, 0.999), eps 1e-8, decoupled weight decay 0; {@code log_step} for the paper's step size. */
    public static Chain exAdam(double lr) {
        return chain(new ScaleByExAdam(0.9, 0.999, 1e-8, false), addDecayedWeights(0), scaleByLearningRate(lr));
    }

    /**
     * Stable-SPAM, official defaults: betas (0.9, 0.999), eps 1e-8, gamma1 0.7, gamma2 0.9, theta 0.999,
     * update_proj_gap 1000, no total_T (0), eta_min 0.5, decoupled weight decay 0; see {@link StableSpam}.
     */
    public static Chain stableSpam(double lr) {
        return chain(new StableSpam.AdaClip(0.999, 1000), new StableSpam.AdaGn(0.7, 0.9, 1e-8, 1000, 0, 0.5),
                new StableSpam.Moments(0.9, 0.999, 1e-8, 1000, 0, 0.5), addDecayedWeights(0), scaleByLearningRate(lr));
    }

    /**
     * Lion-κ (Chen, Liu, Liang, Liu, ICLR 2024): Lion with {@code ∇K} of {@code kappa} in place of the
     * sign; {@code lion(lr)} is {@code lionKappa(lr, Kappa.L1)}.
     */
    public static Chain lionKappa(double lr, ScaleByLion.Kappa kappa) {
        return lion(lr).with("kappa", kappa);
    }

    /**
     * AdamP, clovaai/AdamP defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0, delta 0.1,
     * wd_ratio 0.1, Nesterov off ({@code .with("nesterov", true)}); see {@link ScaleInvariantProjection}.
     */
    public static Chain adamP(double lr) {
        return chain(new ScaleByAdam(0.9, 0.999, 1e-8, false, true, false),
                new ScaleInvariantProjection(0.1, 0.1, 1e-8, 0, ScaleInvariantProjection.Direction.INCOMING, 0, 0, false),
                scaleByLearningRate(lr));
    }

    /**
     * SGDP, clovaai/AdamP defaults: momentum as given, dampening 0, weight decay 0, Nesterov off, eps 1e-8,
     * delta 0.1, wd_ratio 0.1; see {@link ScaleInvariantProjection}.
     */
    public static Chain sgdP(double lr, double momentum) {
        return chain(new ScaleInvariantProjection(0.1, 0.1, 1e-8, 0, ScaleInvariantProjection.Direction.SGD_MOMENTUM, momentum, 0,
                false), scaleByLearningRate(lr));
    }

    /**
     * FRUGAL, blockwise (Zmushko et al. 2024, arXiv 2411.07837): not a chain but a policy over one, e.g.
     * {@code Optimizer.builder(params, adamw(1e-3)).frugal(frugal(0.25, 200, seed))}; see {@link Frugal}.
     */
    public static Frugal frugal(double density, int period, long seed) {
        return Frugal.blockwise(density, period, seed);
    }

    /**
     * FRUGAL as a chain (Zmushko et al. 2024): {@code stateFull} (AdamW in the paper) on a re-drawn
     * fraction {@code rho} of the tensors, signSGD on the rest, re-drawn every {@code period} steps; see
     * {@link Frugal.Part}. {@code frugal(adamw(1e-3), 0.25, 200)} runs wherever a chain does.
     */
    public static Chain frugal(Transform stateFull, double rho, int period) {
        return chain(new Frugal.Part(rho, period), stateFull);
    }

    /**
     * M-FAC (IST-DASLab/M-FAC {@code optim.py}): L2 weight decay 0, the inverse empirical Fisher of the last
     * {@code ngrads} = 32 gradients (the code's default is 1024) with damp 1e-5, momentum 0 (an EMA of the
     * preconditioned gradients when set); see {@link ScaleByMfac}.
     */
    public static Chain mfac(double lr) {
        return chain(addDecayedWeights(0), new ScaleByMfac(32, 1e-5), new Transforms.Ema(0), scaleByLearningRate(lr));
    }

    /**
     * ⊥Grad (Prieto et al., "Grokking at the Edge of Numerical Stability", ICLR 2025; {@code orthograd.py}):
     * each tensor's gradient loses its component along the tensor's weights and keeps its norm, then goes to
     * {@code base} (AdamW in the paper, {@code orthoGrad(adamw(1e-2, 0))}); see {@link OrthogonalGradient}.
     */
    public static Chain orthoGrad(Transform base) {
        return chain(new OrthogonalGradient(), base);
    }

    /**
     * Lookahead (Zhang et al., NeurIPS 2019; michaelrzhang/lookahead) around {@code inner}, the code's
     * defaults: every 5 steps the weights move 0.8 of the way from the slow weights to the fast ones;
     * see {@link Lookahead}. Tune with {@code .with("la_steps", k).with("la_alpha", a)}.
     */
    public static Chain lookahead(Chain inner) {
        return lookahead(inner, 5, 0.8);
    }

    public static Chain lookahead(Chain inner, int laSteps, double laAlpha) {
        return chain(inner, new Lookahead(laSteps, laAlpha));
    }

    /**
     * Schedule-free SGD (Defazio et al., NeurIPS 2024; facebookresearch/schedule_free
     * {@code SGDScheduleFree}), the code's defaults: lr 1.0, momentum ({@code beta1}) 0.9, L2 weight
     * decay 0 at {@code y}, r 0, weight_lr_power 2, no warmup ({@code .schedule(Schedule.linearWarmup(n))}
     * for the code's {@code warmup_steps=n}). Evaluate at {@link ScheduleFree#atAverage}.
     */
    public static Chain scheduleFreeSgd(double lr) {
        return chain(addDecayedWeights(0), scaleByLearningRate(lr), new ScaleByScheduleFree(0.9, 0, 0, 2));
    }

    /**
     * Schedule-free AdamW ({@code AdamWScheduleFree}), the code's defaults: lr 0.0025, betas (0.9, 0.999)
     * as {@code beta1} and {@code alpha}, eps 1e-8, weight decay 0 (added to the normalised gradient, at
     * {@code y}), r 0, weight_lr_power 2; the gradient is divided by {@code sqrt(v) + eps} with an
     * undebiased {@code v} and the learning rate carries {@code sqrt(1 - beta2^t)} instead.
     */
    public static Chain scheduleFreeAdamw(double lr) {
        return chain(new ScaleByRms(0.999, 1e-8, false), addDecayedWeights(0), scaleByLearningRate(lr),
                new ScaleByScheduleFree(0.9, 0.999, 0, 2));
    }

    /**
     * SAM (Foret et al., ICLR 2021; davda54/sam) with radius {@code rho} (the code's default 0.05) around
     * any base optimizer; it steps through a closure, see {@link Sam}.
     */
    public static Sam sam(double rho) {
        return new Sam(rho, false);
    }

    /** ASAM (Kwon et al., ICML 2021), SAM's {@code adaptive=True}: the perturbation scaled by {@code |w|} per element (the code suggests rho 2.0). */
    public static Sam asam(double rho) {
        return new Sam(rho, true);
    }

    /**
     * Muon (Jordan et al. 2024; KellerJordan/Muon {@code SingleDeviceMuonWithAuxAdam}), the code's
     * defaults: momentum 0.95 with Nesterov, 5 Newton–Schulz steps, weight decay 0, on every parameter of
     * rank >= 2; the others with the auxiliary AdamW (lr 3e-4, betas (0.9, 0.95), eps 1e-10, weight decay
     * 0). Not a chain but a policy: {@code muon(0.02).over(params)} gives a {@link MuonOptimizer}; see
     * {@link Muon}. As the code says, embeddings and the output layer belong with the auxiliary
     * optimizer: {@code .withMatrices(filter)}.
     */
    public static Muon muon(double lr) {
        Chain aux = chain(new ScaleByAdam(0.9, 0.95, 1e-10, false, true), addDecayedWeights(0), scaleByLearningRate(3e-4));
        return new Muon(lr, 0.95, true, 5, 0, aux, ParamFilter.rankAtMost(1).negate());
    }

    /**
     * Prodigy (Mishchenko and Defazio, ICML 2024; konstmish/prodigy), the code's defaults: lr 1.0 (a
     * multiplier of the estimated step size), betas (0.9, 0.999), beta3 sqrt(beta2), eps 1e-8, d0 1e-6,
     * d_coef 1, no growth limit, decoupled weight decay 0, no bias correction, no safeguard warmup;
     * see {@link ScaleByProdigy}.
     */
    public static Chain prodigy(double lr) {
        return chain(new ScaleByProdigy(0.9, 0.999, Double.NaN, 1e-8, 1e-6, 1, Double.POSITIVE_INFINITY, 0, false, false),
                scaleByLearningRate(lr));
    }
}
