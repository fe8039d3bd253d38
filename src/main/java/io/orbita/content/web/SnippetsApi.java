package io.orbita.content.web;

import io.orbita.content.Snippet;
import io.orbita.content.Snippets;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/snippets")
@Tag(name = "Snippets", description = """
        Reusable Liquid pieces (a "your personal manager" block, a product card, a signature), included in templates
        and layouts with `{% include 'name' %}` or `{% render 'name' %}`. Snippets are the only thing an include can
        reach: never a file.""")
class SnippetsApi {

    record SnippetBody(@Schema(description = "lower-case latin letters, digits, _ and -; unique in the workspace") String name,
                       @Schema(description = "Liquid HTML") String body) {
    }

    private final Snippets snippets;

    SnippetsApi(Snippets snippets) {
        this.snippets = snippets;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List snippets", description = "By name.")
    List<Snippet> list(@AuthenticationPrincipal OrbitaPrincipal me) {
        return snippets.list(me.workspace());
    }

    @GetMapping("/{id}")
    @Access.Read
    @Operation(summary = "Get a snippet")
    Snippet get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return snippets.get(me.workspace(), id);
    }

    @PostMapping
    @Access.Market
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a snippet", description = "The body must parse as Liquid.")
    Snippet create(@AuthenticationPrincipal OrbitaPrincipal me,
                  @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = SnippetBody.class)))
                  @RequestBody JsonNode body) {
        NamedSourceInput in = NamedSourceInput.read(body, "body", null);
        return snippets.create(me, in.name(), in.text());
    }

    @PatchMapping("/{id}")
    @Access.Market
    @Operation(summary = "Change a snippet", description = "Only the fields present change. Templates including it render the new body at once.")
    Snippet update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                  @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = SnippetBody.class)))
                  @RequestBody JsonNode body) {
        Snippet current = snippets.get(me.workspace(), id);
        NamedSourceInput in = NamedSourceInput.read(body, "body", new NamedSourceInput(current.name(), current.body()));
        return snippets.update(me, id, in.name(), in.text());
    }

    @DeleteMapping("/{id}")
    @Access.Market
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a snippet", description = "Templates that still include it render nothing in its place and warn.")
    void delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        snippets.delete(me, id);
    }
}
