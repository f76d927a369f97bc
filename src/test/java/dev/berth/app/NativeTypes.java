package dev.berth.app;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Which types the native build must register for reflection, derived from what is compiled
 * and what is on the class path rather than from a list, so that a new type is noticed. Shared
 * by {@code NativeReflectionTest} (the registrations) and {@code NativeImageConfigIT} (the
 * configuration the native build generates from them).
 */
final class NativeTypes {

    /** Berth's packages whose records, enums and polymorphic roots Jackson reads and writes. */
    static final Set<String> JSON_PACKAGES = Set.of("dev.berth.model", "dev.berth.protocol", "dev.berth.api");
    /** SigV4 checks: records over bytes and strings that Jackson never sees. */
    private static final String SIGNATURE_PACKAGE = "dev.berth.api.auth.";
    private static final Pattern ANONYMOUS = Pattern.compile(".*\\$\\d+.*");

    private NativeTypes() {
    }

    /**
     * Every Jackson type of Berth, nested ones included: the records and enums of model and
     * protocol, their polymorphic roots, and every class of api.
     */
    static Set<String> berthJsonTypes(Path classesDir) {
        Set<String> types = new TreeSet<>();
        for (String pkg : JSON_PACKAGES) {
            Path dir = classesDir.resolve(pkg.replace('.', '/'));
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (String name : classNames(dir, pkg)) {
                if (!name.startsWith(SIGNATURE_PACKAGE) && isJsonShape(load(name))) {
                    types.add(name);
                }
            }
        }
        return types;
    }

    /**
     * docker-java's JSON types, nested ones included: all of api.model, the data classes of
     * api.command, and the request bodies core.command.*CmdImpl.
     */
    static Set<String> dockerJavaTypes() {
        Set<String> types = new TreeSet<>();
        types.addAll(classesInJar("com.github.dockerjava.api.model.Container",
                name -> name.startsWith("com.github.dockerjava.api.model.")));
        types.addAll(classesInJar("com.github.dockerjava.api.command.InspectContainerResponse",
                name -> name.startsWith("com.github.dockerjava.api.command.")
                        && !name.contains("Cmd") && !name.endsWith("Callback")));
        types.addAll(classesInJar("com.github.dockerjava.core.command.CreateContainerCmdImpl",
                name -> name.matches("com\\.github\\.dockerjava\\.core\\.command\\.[A-Za-z]+CmdImpl")));
        return types;
    }

    /** Top-level names only: what a {@code @RegisterForReflection} list holds. */
    static Set<String> topLevel(Set<String> names) {
        return names.stream().filter(n -> !n.contains("$")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Names that a registration holder lists, by class literal or by name. */
    static Set<String> registeredBy(Class<?> holder) {
        RegisterForReflection registration = holder.getAnnotation(RegisterForReflection.class);
        Set<String> names = new TreeSet<>(Arrays.asList(registration.classNames()));
        for (Class<?> target : registration.targets()) {
            names.add(target.getName());
        }
        return names;
    }

    /** Whether {@code name} is registered by itself or through an enclosing class (nested types come along). */
    static boolean covered(String name, Set<String> registered) {
        for (String outer = name; ; outer = outer.substring(0, outer.lastIndexOf('$'))) {
            if (registered.contains(outer)) {
                return true;
            }
            if (!outer.contains("$")) {
                return false;
            }
        }
    }

    private static boolean isJsonShape(Class<?> type) {
        return type.isRecord() || type.isEnum() || type.isAnnotationPresent(JsonTypeInfo.class);
    }

    private static Set<String> classNames(Path dir, String pkg) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(dir::relativize)
                    .map(Path::toString)
                    .filter(f -> f.endsWith(".class") && !f.equals("package-info.class"))
                    .map(f -> pkg + "." + f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .filter(n -> !ANONYMOUS.matcher(n).matches())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> classesInJar(String member, Predicate<String> wanted) {
        try (ZipFile jar = new ZipFile(Path.of(load(member).getProtectionDomain().getCodeSource().getLocation().toURI())
                .toFile())) {
            return jar.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .filter(n -> !ANONYMOUS.matcher(n).matches())
                    .filter(wanted)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeTypes.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load " + name, e);
        }
    }
}
