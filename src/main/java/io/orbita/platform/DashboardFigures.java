package io.orbita.platform;

import java.util.List;

/**
 * A module's contribution to the home page: a few counts with links. Lets the home page show every module's figures
 * without depending on the modules.
 */
public interface DashboardFigures {

    /** @param labelKey message key of the label; @param link where the tile leads */
    record Figure(String labelKey, long value, String link) {
    }

    List<Figure> figures(WorkspaceId workspace);
}
