package io.orbita.content.web;

import io.orbita.content.LibraryTemplate;
import io.orbita.content.Template;
import io.orbita.content.TemplateLibrary;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/template-library")
@Tag(name = "Template library", description = """
        Ready letters in Russian and English for the nine retention scenarios (welcome, post_sale, loyalty,
        congratulations, abandoned_cart, reactivation, nps, renewal, churn) and the kinds of mailing (service_order,
        news_update, content_digest, event_invite, promo_offer). Using one copies it into the workspace.""")
class LibraryApi {

    private final TemplateLibrary library;

    LibraryApi(TemplateLibrary library) {
        this.library = library;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List library letters", description = "language: ru (default) or en.")
    List<LibraryTemplate> list(@RequestParam(name = "language", defaultValue = "ru") String lang) {
        return library.list(lang);
    }

    @GetMapping("/{code}")
    @Access.Read
    @Operation(summary = "Get one library letter")
    LibraryTemplate get(@PathVariable String code, @RequestParam(name = "language", defaultValue = "ru") String lang) {
        return library.get(code, lang);
    }

    @PostMapping("/{code}/use")
    @Access.Market
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Copy a library letter into the workspace", description = "Creates an ordinary template (version 1) that remembers its library code.")
    Template use(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable String code, @RequestParam(name = "language", defaultValue = "ru") String lang) {
        return library.use(me, code, lang);
    }
}
