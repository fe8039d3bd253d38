package io.orbita.workspace;

import io.orbita.platform.WorkspaceId;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** A workspace's display name for pages outside the app, such as the unsubscribe page a recipient sees. */
@Service
public class WorkspaceNames {

    private final JdbcClient jdbc;

    WorkspaceNames(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> find(WorkspaceId workspace) {
        return jdbc.sql("select name from workspace where id = ?").param(workspace.value()).query(String.class).optional();
    }
}
