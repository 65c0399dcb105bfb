/**
 * The plugin's front door in ImageJ and Fiji: the only classes in {@code plugins/Super_Resolve.jar}.
 *
 * <p>They are compiled for Java 8 (the rest of the plugin needs Java 17), so an old Fiji still on
 * Java 8 gets one sentence instead of an {@code UnsupportedClassVersionError}. Everything else, our
 * classes and every library we use (ND4J, JavaCPP and its natives, SciJava Common, ImgLib2, SLF4J,
 * Guava, Jackson, protobuf…), lives in {@code <ImageJ>/lib/super-resolve/} (what every platform
 * shares) and {@code <ImageJ>/lib/<platform>/super-resolve/} (one platform's natives, the platform
 * named as Fiji's updater names it: {@link io.github.superresolve.boot.Platform}), and is loaded by
 * one {@link io.github.superresolve.boot.IsolatingClassLoader}: our own copies first, the host's
 * only for ImageJ 1.x itself ({@code ij.*}) and the JDK. {@link io.github.superresolve.boot.PluginHome}
 * finds the folders, and still reads the layout of the zips of 0.1 ({@code <ImageJ>/super-resolve/<version>/}).
 *
 * <p>Why: Fiji puts every jar of {@code jars/} and {@code plugins/} (and one folder below) on one
 * class path, where other versions of javacpp, openblas, guava, jackson and protobuf live and where
 * the updater flags two versions of one base name; plain ImageJ 1.x has no SciJava or ImgLib2 at
 * all. {@code lib/} is on neither launcher's class path (Fiji's launcher puts only
 * {@code lib/<platform>/} itself on {@code java.library.path}) nor seen by ImageJ 1.x's plugin class
 * loader ({@code plugins/} and one folder below), yet Fiji's updater scans it and gives the files of
 * {@code lib/<platform>/} to that platform only, so one layout serves the update site and the
 * install zips. One loader for all of it behaves the same in both hosts: what the ImageJ 1.x tests
 * run is what runs in Fiji.
 *
 * <p>Keep this package free of anything newer than Java 8 and of any dependency but {@code ij}.
 */
package io.github.superresolve.boot;
