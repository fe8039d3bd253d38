package io.orbita.delivery;

import io.orbita.platform.WorkspaceId;

/**
 * What delivery tells other modules about a From domain: whether it is registered as a sending domain of the workspace
 * (so letters from it are DKIM-signed) and whether the last DNS check found its DKIM records published. The campaign
 * checklist asks this before a send.
 */
public interface SenderDomains {

    enum Status {
        /** Not a sending domain of this workspace: letters go out without its DKIM signature. */
        NOT_REGISTERED,
        /** Registered and signed, but DNS was never checked or the last check did not find the DKIM records. */
        UNVERIFIED,
        /** Registered, and the last DNS check found every DKIM record as published. */
        VERIFIED
    }

    /** @param domain the domain as written (Unicode or punycode, any case) */
    Status status(WorkspaceId workspace, String domain);
}
