package io.orbita.segments;

import io.orbita.platform.WorkspaceId;
import java.util.List;

/**
 * A module event of a module that declares condition kinds over its own data (tracking: opens and clicks; delivery:
 * replies, bounces, the suppression list): that data changed for these contacts, so segments re-evaluate them at once,
 * only in the segments whose conditions react to {@link #source()}.
 *
 * <p>An interface rather than a record because those modules build on this one (they declare the condition kinds):
 * each publishes its own public record implementing it, and segments listens for the interface without depending on
 * them, which would be a cycle. Contacts, orders and events reach segments through their modules' own events instead.
 */
public interface ConditionDataChanged {

    WorkspaceId workspace();

    /** The contacts whose data changed, each once. */
    List<Long> contactIds();

    /** Which conditions can answer differently now. */
    ConditionKind.Source source();
}
