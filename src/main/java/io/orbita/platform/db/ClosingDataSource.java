package io.orbita.platform.db;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A pool that also stops the embedded server behind it, in that order, when the application shuts down. */
final class ClosingDataSource implements DataSource, AutoCloseable {

    private final HikariDataSource pool;
    private final AutoCloseable server;

    ClosingDataSource(HikariDataSource pool, AutoCloseable server) {
        this.pool = pool;
        this.server = server;
    }

    @Override
    public void close() throws Exception {
        try {
            pool.close();
        } finally {
            server.close();
        }
    }

    @Override public Connection getConnection() throws SQLException { return pool.getConnection(); }
    @Override public Connection getConnection(String u, String p) throws SQLException { return pool.getConnection(u, p); }
    @Override public PrintWriter getLogWriter() throws SQLException { return pool.getLogWriter(); }
    @Override public void setLogWriter(PrintWriter out) throws SQLException { pool.setLogWriter(out); }
    @Override public void setLoginTimeout(int seconds) throws SQLException { pool.setLoginTimeout(seconds); }
    @Override public int getLoginTimeout() throws SQLException { return pool.getLoginTimeout(); }
    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { return pool.getParentLogger(); }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
    }
    @Override public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(pool) || pool.isWrapperFor(iface);
    }
}
