package io.orbita;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.modulith.Modulithic;

/** Orbita: one modular-monolith application; each top-level package below is a Spring Modulith module. */
@Modulithic(sharedModules = "platform")
@SpringBootApplication
public class OrbitaApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrbitaApplication.class, args);
    }
}
