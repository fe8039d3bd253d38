package io.orbita.platform;

/** The tenant every row and every query belongs to. A value type so it cannot be confused with other ids. */
public record WorkspaceId(long value) {

    public WorkspaceId {
        if (value <= 0) {
            throw new IllegalArgumentException("workspace id must be positive");
        }
    }

    public static WorkspaceId of(long value) {
        return new WorkspaceId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
