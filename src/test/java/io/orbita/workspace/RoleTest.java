package io.orbita.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orbita.platform.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoleTest {

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyRoleIncludesItself(Role role) {
        assertThat(role.includes(role)).isTrue();
    }

    /** The order of the enum is the hierarchy; a reordering would silently hand out rights, so it is pinned here. */
    @Test
    void higherRolesIncludeLowerOnesAndNeverTheOtherWayRound() {
        assertThat(Role.OWNER.includes(Role.ADMIN)).isTrue();
        assertThat(Role.ADMIN.includes(Role.MARKETER)).isTrue();
        assertThat(Role.MARKETER.includes(Role.SALES_MANAGER)).isTrue();
        assertThat(Role.SALES_MANAGER.includes(Role.ANALYST)).isTrue();
        assertThat(Role.OWNER.includes(Role.ANALYST)).isTrue();

        assertThat(Role.ADMIN.includes(Role.OWNER)).isFalse();
        assertThat(Role.ANALYST.includes(Role.SALES_MANAGER)).isFalse();
        assertThat(Role.SALES_MANAGER.includes(Role.MARKETER)).isFalse();
    }

    @Test
    void authorityIsWhatSpringSecurityExpects() {
        assertThat(Role.SALES_MANAGER.authority()).isEqualTo("ROLE_SALES_MANAGER");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sales_manager", "SALES_MANAGER", " Sales_Manager "})
    void parsesCaseInsensitively(String value) {
        assertThat(Role.parse(value)).isEqualTo(Role.SALES_MANAGER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "root", "sales manager"})
    void rejectsUnknownRolesAsAFieldProblem(String value) {
        assertThatThrownBy(() -> Role.parse(value))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.problems()).singleElement().satisfies(p -> {
                        assertThat(p.field()).isEqualTo("role");
                        assertThat(p.code()).isEqualTo("role.unknown");
                    });
                });
    }
}
