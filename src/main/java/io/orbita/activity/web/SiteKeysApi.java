package io.orbita.activity.web;

import io.orbita.activity.SiteKeys;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/site-keys")
@Tag(name = "Website tracker", description = "Public keys for the /t.js tracker on the client's website.")
class SiteKeysApi {

    record NewKey(List<String> allowedOrigins) {
    }

    private final SiteKeys keys;

    SiteKeysApi(SiteKeys keys) {
        this.keys = keys;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List site keys")
    List<SiteKeys.SiteKey> list(@AuthenticationPrincipal OrbitaPrincipal me) {
        return keys.list(me.workspace());
    }

    @PostMapping
    @Access.Administer
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a site key", description = """
            allowedOrigins (e.g. ["https://shop.example.ru"]) limits which sites may send events with it; empty allows
            any. Put the key on the site: <script src="https://ORBITA/t.js" data-site-key="KEY" async></script>.""")
    SiteKeys.SiteKey create(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody(required = false) NewKey body) {
        return keys.create(me, body == null ? List.of() : body.allowedOrigins());
    }
}
