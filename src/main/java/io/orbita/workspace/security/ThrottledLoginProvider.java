package io.orbita.workspace.security;

import io.orbita.workspace.internal.LoginThrottle;
import io.orbita.workspace.internal.Passwords;
import io.orbita.workspace.internal.UserAccounts;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Email and password login with throttling: a locked-out login is refused before the password is even checked. */
class ThrottledLoginProvider implements AuthenticationProvider {

    /** Spent on unknown emails too, so response time does not reveal which emails have accounts. */
    private static final String DUMMY_HASH_INPUT = "not-a-real-password";

    private final UserAccounts accounts;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private volatile String dummyHash;

    ThrottledLoginProvider(UserAccounts accounts, Passwords passwords, LoginThrottle throttle) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String email = String.valueOf(authentication.getPrincipal()).strip();
        String password = String.valueOf(authentication.getCredentials());
        String ip = authentication.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : "unknown";
        if (throttle.isLocked(email, ip)) {
            throw new LockedException("too many failed attempts; try again in 15 minutes");
        }
        var account = accounts.findByEmail(email);
        if (account.isEmpty()) {
            passwords.matches(password, dummyHash());
            throttle.recordFailure(email, ip);
            throw new BadCredentialsException("wrong email or password");
        }
        var a = account.get();
        if (!passwords.matches(password, a.passwordHash())) {
            throttle.recordFailure(email, ip);
            throw new BadCredentialsException("wrong email or password");
        }
        if (!a.enabled()) {
            throw new DisabledException("account disabled");
        }
        throttle.reset(email);
        LoginUser user = new LoginUser(a.id(), a.email(), "", true);
        return UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
    }

    private String dummyHash() {
        if (dummyHash == null) {
            dummyHash = passwords.hash("password", DUMMY_HASH_INPUT);
        }
        return dummyHash;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
