/**
 * The plugin's front door in ImageJ and Fiji: the only classes in {@code plugins/Super_Resolve.jar}.
 *
 * <p>They are compiled for Java 8 (the rest of the plugin needs Java 17), so an old Fiji still on
 * Java 8 gets one sentence instead of an {@code UnsupportedClassVersionError}. Everything else, our
 * classes and every library we use (ND4J, JavaCPP and its natives, SciJava Common, ImgLib2, SLF4J,
 * Guava, Jackson, protobuf…), lives in {@code <ImageJ>/super-resolve/<version>/} and is loaded by one
 * {@link io.github.superresolve.boot.IsolatingClassLoader}: our own copies first, the host's only for
 * ImageJ 1.x itself ({@code ij.*}) and the JDK. Why: Fiji puts every jar of {@code jars/} and
 * {@code plugins/} (and one folder below) on one class path, where other versions of javacpp,
 * openblas, guava, jackson and protobuf live and where the updater flags two versions of one base
 * name; plain ImageJ 1.x has no SciJava or ImgLib2 at all. A top-level folder is neither on Fiji's
 * class path, nor scanned by its updater, nor by ImageJ 1.x's plugin class loader (plugins/ and one
 * folder below), and one loader for all of it behaves the same in both hosts: what the ImageJ 1.x
 * tests run is what runs in Fiji.
 *
 * <p>Keep this package free of anything newer than Java 8 and of any dependency but {@code ij}.
 */
package io.github.superresolve.boot;
