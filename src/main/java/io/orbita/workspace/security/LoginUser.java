package io.orbita.workspace.security;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** What the HTTP session remembers of a signed-in user: the id, nothing about roles (those are read per request). */
record LoginUser(long id, String email, String passwordHash, boolean enabled)
        implements UserDetails, CredentialsContainer, Serializable {

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of();
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return email;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void eraseCredentials() {
        // Nothing to erase: the provider never puts the password hash into the session copy.
    }
}
