package org.reprolab.optim;

import java.util.regex.Pattern;
import org.reprolab.tensor.Tensor;

/**
 * Selects parameters for a group by name and tensor, as torch users build parameter groups and Optax
 * users build masks. {@link #noDecay()} is the usual "no weight decay on biases and norm weights".
 */
@FunctionalInterface
public interface ParamFilter {

    boolean test(String name, Tensor param);

    /** Names matching the regular expression anywhere ({@code find}). */
    static ParamFilter matching(String regex) {
        Pattern p = Pattern.compile(regex);
        return (n, t) -> p.matcher(n).find();
    }

    /** Names ending with one of the suffixes, e.g. {@code "bias"}. */
    static ParamFilter suffix(String... suffixes) {
        return (n, t) -> {
            for (String s : suffixes) if (n.endsWith(s)) return true;
            return false;
        };
    }

    /** Exactly these names. */
    static ParamFilter names(String... names) {
        java.util.Set<String> set = java.util.Set.of(names);
        return (n, t) -> set.contains(n);
    }

    /** Tensors of rank at most {@code r}. */
    static ParamFilter rankAtMost(int r) {
        return (n, t) -> t.rank() <= r;
    }

    /**
     * Biases and normalisation weights: rank <= 1, or a name ending in "bias", or containing "norm"
     * (the HuggingFace convention, transformers issue #492).
     */
    static ParamFilter noDecay() {
        return rankAtMost(1).or(suffix("bias")).or(matching("(?i)norm"));
    }

    default ParamFilter or(ParamFilter o) {
        return (n, t) -> test(n, t) || o.test(n, t);
    }

    default ParamFilter and(ParamFilter o) {
        return (n, t) -> test(n, t) && o.test(n, t);
    }

    default ParamFilter negate() {
        return (n, t) -> !test(n, t);
    }
}
