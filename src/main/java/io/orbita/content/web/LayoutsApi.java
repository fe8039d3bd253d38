package io.orbita.content.web;

import io.orbita.content.Layout;
import io.orbita.content.Layouts;
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
@RequestMapping("/api/v1/layouts")
@Tag(name = "Layouts", description = """
        Brand frames for letters: HTML (Liquid) with the header, footer and styles, and a `{{ content }}` slot where a
        template's HTML goes. Templates choose one by layoutId.""")
class LayoutsApi {

    record LayoutBody(@Schema(description = "unique in the workspace") String name,
                      @Schema(description = "Liquid HTML with a {{ content }} slot") String html) {
    }

    private final Layouts layouts;

    LayoutsApi(Layouts layouts) {
        this.layouts = layouts;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List layouts", description = "By name.")
    List<Layout> list(@AuthenticationPrincipal OrbitaPrincipal me) {
        return layouts.list(me.workspace());
    }

    @GetMapping("/{id}")
    @Access.Read
    @Operation(summary = "Get a layout")
    Layout get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return layouts.get(me.workspace(), id);
    }

    @PostMapping
    @Access.Market
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a layout", description = "The HTML must parse and contain a {{ content }} slot.")
    Layout create(@AuthenticationPrincipal OrbitaPrincipal me,
                  @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = LayoutBody.class)))
                  @RequestBody JsonNode body) {
        NamedSourceInput in = NamedSourceInput.read(body, "html", null);
        return layouts.create(me, in.name(), in.text());
    }

    @PatchMapping("/{id}")
    @Access.Market
    @Operation(summary = "Change a layout", description = "Only the fields present change. Templates using it render with the new frame at once.")
    Layout update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                  @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = LayoutBody.class)))
                  @RequestBody JsonNode body) {
        Layout current = layouts.get(me.workspace(), id);
        NamedSourceInput in = NamedSourceInput.read(body, "html", new NamedSourceInput(current.name(), current.html()));
        return layouts.update(me, id, in.name(), in.text());
    }

    @DeleteMapping("/{id}")
    @Access.Market
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a layout", description = "409 while templates use it.")
    void delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        layouts.delete(me, id);
    }
}
