package io.orbita.workspace;

/** Names shared by the workspace module's web layer and its security filter. */
public final class Workspaces {

    /** Session attribute holding the id of the workspace the signed-in user is working in. */
    public static final String SESSION_ATTRIBUTE = "orbita.workspace";

    private Workspaces() {
    }
}
