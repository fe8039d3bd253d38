package io.orbita.workspace.internal;

import io.orbita.platform.WorkspaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the very first start (no users yet) creates the owner account and the first workspace, from
 * {@code ORBITA_ADMIN_EMAIL}/{@code ORBITA_ADMIN_PASSWORD} or with a generated password that is logged this once and
 * never again. An advisory lock makes several nodes starting together create exactly one owner.
 */
@Component
class FirstStart implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);
    private static final long LOCK_KEY = 0x0B17A_0001L;

    private final UserAccounts accounts;
    private final ApiKeys keys;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final String adminEmail;
    private final String adminPassword;
    private final String initApiKey;
    private final String workspaceName;

    FirstStart(UserAccounts accounts, ApiKeys keys, JdbcClient jdbc, TransactionTemplate tx,
               @Value("${orbita.bootstrap.admin-email:}") String adminEmail,
               @Value("${orbita.bootstrap.admin-password:}") String adminPassword,
               @Value("${orbita.bootstrap.init-api-key:}") String initApiKey,
               @Value("${orbita.bootstrap.workspace-name:Orbita}") String workspaceName) {
        this.accounts = accounts;
        this.keys = keys;
        this.jdbc = jdbc;
        this.tx = tx;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
        this.initApiKey = initApiKey;
        this.workspaceName = workspaceName;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!initApiKey.isBlank() && initApiKey.length() < 24) {
            throw new IllegalStateException("ORBITA_INIT_API_KEY must have at least 24 characters");
        }
        tx.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(?)").param(LOCK_KEY).query((rs, n) -> 1).list();
            if (accounts.countUsers() > 0) {
                return;
            }
            String email = adminEmail.isBlank() ? "admin@orbita.local" : adminEmail.strip();
            boolean generated = adminPassword.isBlank();
            String password = generated ? Passwords.generate() : adminPassword;
            long workspace = accounts.createFirstOwner(email, password, workspaceName);
            if (!initApiKey.isBlank() && !keys.anyExist()) {
                keys.registerInitial(WorkspaceId.of(workspace), initApiKey.strip());
                log.info("ORBITA_INIT_API_KEY registered as an API key of workspace '{}'", workspaceName);
            }
            if (generated) {
                log.warn("""

                        ================================================================
                          First start: owner account created
                            email:    {}
                            password: {}
                          This password is shown once. Sign in at /login and change it.
                        ================================================================""", email, password);
            } else {
                log.info("First start: owner account {} created from ORBITA_ADMIN_EMAIL", email);
            }
        });
    }
}
