/** Shared kernel: database bootstrap, clock, problem+json errors, keyset pagination, i18n and web layout. */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.orbita.platform;
