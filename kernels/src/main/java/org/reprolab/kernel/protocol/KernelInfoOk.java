package org.reprolab.kernel.protocol;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

/**
 * {@code kernel_info_reply} with the {@code status} field the v5 schema requires; jjava-jupyter
 * 1.0-a6 leaves it out and jupyter_kernel_test rejects the reply.
 */
public final class KernelInfoOk extends KernelInfoReply {
    @SuppressWarnings("unused") // serialised by Gson
    private final String status = "ok";

    public KernelInfoOk(String implementation, String version, LanguageInfo language, String banner, List<HelpLink> links) {
        super("5.3", implementation, version, language, banner, links);
    }
}
