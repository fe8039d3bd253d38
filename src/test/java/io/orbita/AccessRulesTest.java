package io.orbita;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.platform.web.PublicEndpoint;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/** Every handler method declares who may call it: a role check, or an explicit {@code @PublicEndpoint}. */
class AccessRulesTest {

    @Test
    void everyEndpointDeclaresItsAccessRule() throws Exception {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Controller.class));
        List<String> missing = new ArrayList<>();
        int handlers = 0;
        for (var candidate : scanner.findCandidateComponents("io.orbita")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            for (Method m : type.getDeclaredMethods()) {
                if (!AnnotatedElementUtils.hasAnnotation(m, RequestMapping.class)) {
                    continue;
                }
                handlers++;
                boolean ruled = AnnotatedElementUtils.hasAnnotation(m, PreAuthorize.class)
                        || AnnotatedElementUtils.hasAnnotation(type, PreAuthorize.class)
                        || m.isAnnotationPresent(PublicEndpoint.class);
                if (!ruled) {
                    missing.add(type.getSimpleName() + "." + m.getName());
                }
            }
        }
        assertThat(handlers).isGreaterThan(20);
        assertThat(missing).as("handler methods without an access rule").isEmpty();
    }
}
