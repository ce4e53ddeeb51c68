package dev.clothes.quality.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture as the build's own classes show it, held against what the README and the
 * {@code package-info.java} files say: module arrows only as the poms declare them and only downwards
 * in the README's module table; every package importing only what its package-info allows; no package
 * cycle. A violation names the class, the line and what it uses.
 */
class ArchitectureTest {

    private static Path root;
    private static List<String> modules;
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() throws IOException {
        root = Path.of(System.getProperty("checkout.dir", "..")).toAbsolutePath().normalize();
        modules = ProjectModules.modules(root);
        List<Path> dirs = new ArrayList<>();
        for (String module : modules) {
            Path dir = root.resolve(module).resolve("target/classes");
            if (Files.isDirectory(dir)) {
                dirs.add(dir);
            }
        }
        classes = new ClassFileImporter().importPaths(dirs);
    }

    /** The module a class of the project was compiled in. */
    private static String moduleOf(JavaClass c) {
        String uri = c.getSource().orElseThrow().getUri().toString();
        for (String module : modules) {
            if (uri.contains("/" + module + "/target/classes/")) {
                return module;
            }
        }
        throw new IllegalStateException("no module holds " + uri);
    }

    private static boolean ours(JavaClass c) {
        return c.getPackageName().startsWith(PackageRule.ROOT + ".") && c.getSource().isPresent();
    }

    private static String where(Dependency d) {
        return d.getOriginClass().getName() + " " + d.getSourceCodeLocation() + " uses "
                + d.getTargetClass().getBaseComponentType().getName();
    }

    @Test
    void everyModuleIsCompiledHere() {
        for (String module : modules) {
            if (!module.equals("quality")) {
                assertThat(root.resolve(module).resolve("target/classes"))
                        .as("%s is not compiled: run the whole build (quality depends on every module)", module)
                        .isDirectory();
            }
        }
    }

    @Test
    void modulesUseOnlyWhatTheirPomDeclaresAndOnlyDownwards() throws IOException {
        Map<String, Set<String>> declared = ProjectModules.declared(root);
        List<Set<String>> layers = ProjectModules.layers(root.resolve("README.md"));
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (String module : layers.get(i)) {
                row.put(module, i);
            }
        }
        List<String> problems = new ArrayList<>();
        for (String module : modules) {
            if (!row.containsKey(module)) {
                problems.add(module + " has no row in the README's module table");
                continue;
            }
            for (String dependency : declared.get(module)) {
                if (row.getOrDefault(dependency, Integer.MAX_VALUE) >= row.get(module)) {
                    problems.add(module + "/pom.xml depends on " + dependency
                            + ", which is not in a row above it in the README's module table");
                }
            }
        }
        Set<String> seen = new TreeSet<>();
        for (JavaClass c : classes) {
            if (!ours(c)) {
                continue;
            }
            String from = moduleOf(c);
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                if (!ours(target)) {
                    continue;
                }
                String to = moduleOf(target);
                if (!to.equals(from) && !declared.get(from).contains(to) && seen.add(from + "->" + to)) {
                    problems.add(from + " uses " + to + " without declaring it in its pom: " + where(d));
                }
            }
        }
        assertThat(problems).as("module arrows").isEmpty();
    }

    @Test
    void everyPackageImportsOnlyWhatItsPackageInfoAllows() throws IOException {
        Map<String, PackageRule> rules = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!ours(c) || rules.containsKey(c.getPackageName())) {
                continue;
            }
            Path info = root.resolve(moduleOf(c)).resolve("src/main/java")
                    .resolve(c.getPackageName().replace('.', '/')).resolve("package-info.java");
            if (Files.isRegularFile(info)) {
                rules.put(c.getPackageName(), PackageRule.read(c.getPackageName(), info));
            } else if (Files.isDirectory(info.getParent())) {
                problems.add(info + " is missing: every package says what it holds and what it may import");
            }
            // no source folder: generated code (protobuf), checked through the packages that use it
        }
        Set<String> seen = new TreeSet<>();
        for (JavaClass c : classes) {
            PackageRule rule = rules.get(c.getPackageName());
            if (rule == null) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getBaseComponentType().getPackageName();
                if (!rule.allows(target) && seen.add(c.getName() + "->" + target)) {
                    problems.add(where(d) + ", which " + c.getPackageName() + "'s package-info does not allow");
                }
            }
        }
        assertThat(problems).as("package rules").isEmpty();
    }

    @Test
    void noPackageCycle() {
        SlicesRuleDefinition.slices().matching(PackageRule.ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }
}
