package dev.localrag.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a package or type that is public only so that LocalRAG's own modules can use it: not API.
 * It may change or go away in any release; applications should not depend on it. Everything public
 * that is not marked is API, and {@code PublicApiTest} lists it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PACKAGE, ElementType.TYPE})
public @interface Internal {}
