package dev.clothes.lambda.infra;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.lambda.deploy.CfnTemplate;
import dev.clothes.lambda.handler.RequestLog;
import dev.clothes.lambda.handler.TimeBudget;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The deployment gate: infra/template.yaml, infra/Dockerfile and infra/package-function.sh agree with each
 * other and with what Lambda accepts today. Each failure says what a deploy would run into.
 */
class InfraTemplateTest {

    private static final String FUNCTION = "AWS::Serverless::Function";

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        return Files.exists(dir.resolve("infra")) ? dir : dir.getParent();
    }

    private static String read(String relative) throws Exception {
        return Files.readString(root().resolve(relative));
    }

    private static CfnTemplate template() throws Exception {
        return CfnTemplate.parse("infra/template.yaml", read("infra/template.yaml"));
    }

    private static LambdaRuntimes runtimes() throws Exception {
        return LambdaRuntimes.load(root().resolve("infra/lambda-runtimes.tsv"));
    }

    private static Map<String, Object> function(CfnTemplate template) {
        return template.map("Resources", template.onlyResource(FUNCTION), "Properties");
    }

    private static String string(Map<String, Object> properties, String key) {
        Object value = properties.get(key);
        assertThat(value).as("function property %s must be a plain string, got %s", key, value)
                .isInstanceOf(String.class);
        return (String) value;
    }

    // ---- the checks, also run against broken copies below ----

    static void checkRuntimeCanBeCreated(CfnTemplate template, LambdaRuntimes runtimes, LocalDate today) {
        String runtime = string(function(template), "Runtime");
        Optional<LambdaRuntimes.Dates> dates = runtimes.dates(runtime);
        assertThat(dates).as("Runtime %s is not in infra/lambda-runtimes.tsv, so nothing says Lambda still "
                + "creates functions on it; add it with its dates from the AWS runtime deprecation page", runtime)
                .isPresent();
        assertThat(dates.get().blockCreate())
                .as("Runtime %s: Lambda blocks creating functions on it from %s (infra/lambda-runtimes.tsv, "
                        + "cfn-lint E2533), so a first sam deploy fails; use a runtime with a later block_create",
                        runtime, dates.get().blockCreate())
                .isAfter(today);
    }

    static void checkHandler(CfnTemplate template) {
        String handler = string(function(template), "Handler");
        String[] parts = handler.split("::");
        assertThat(parts).as("Handler %s must be class::method", handler).hasSize(2);
        Class<?> type;
        try {
            // Not initialised: the no-arg constructor opens the model, which these checks do not need.
            type = Class.forName(parts[0], false, InfraTemplateTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("Handler class " + parts[0] + " is not on the classpath; every "
                    + "invocation would fail with ClassNotFoundException", e);
        }
        boolean stream = RequestStreamHandler.class.isAssignableFrom(type);
        assertThat(stream || RequestHandler.class.isAssignableFrom(type))
                .as("Handler %s must implement RequestHandler or RequestStreamHandler for the Java runtime to call it",
                        type.getName())
                .isTrue();
        assertThat(Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers()))
                .as("Handler %s must be a public concrete class for Lambda to instantiate it", type.getName())
                .isTrue();
        // The runtime calls a stream handler's (InputStream, OutputStream, Context), any other's (event, Context).
        List<Method> methods = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(parts[1]) && (stream
                        ? m.getParameterCount() == 3 && m.getParameterTypes()[0] == java.io.InputStream.class
                                && m.getParameterTypes()[1] == java.io.OutputStream.class
                                && m.getParameterTypes()[2] == Context.class
                        : m.getParameterCount() == 2 && m.getParameterTypes()[1] == Context.class))
                .toList();
        assertThat(methods).as("Handler method %s(event, Context) on %s; Lambda would fail every invocation "
                + "with NoSuchMethodException", parts[1], type.getName()).isNotEmpty();
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new AssertionError("Handler " + type.getName() + " needs a public no-argument constructor; "
                    + "Lambda's init phase would fail without one", e);
        }
    }

    static void checkCodeUri(CfnTemplate template, Path root, String packageScript) {
        String codeUri = string(function(template), "CodeUri");
        Path zip = root.resolve("infra").resolve(codeUri).normalize();
        assertThat(zip).as("CodeUri %s (relative to infra/) must be dist/function.zip at the checkout root, "
                + "or sam deploy uploads a missing or stale package", codeUri)
                .isEqualTo(root.resolve("dist/function.zip"));
        Matcher written = Pattern.compile("^\\s*zip=\"\\$root/([^\"]+)\"\\s*$", Pattern.MULTILINE)
                .matcher(packageScript);
        assertThat(written.find()).as("infra/package-function.sh must name its output with a line "
                + "zip=\"$root/dist/function.zip\"; without it nothing ties the package to CodeUri").isTrue();
        assertThat(root.resolve(written.group(1)).normalize())
                .as("infra/package-function.sh writes %s but the template deploys %s", written.group(1), codeUri)
                .isEqualTo(zip);
    }

    static void checkSnapStart(CfnTemplate template) {
        Map<String, Object> function = function(template);
        assertThat(function.get("SnapStart")).as("SnapStart must be ApplyOn: PublishedVersions, or every "
                + "cold start pays the full JVM and model init").isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        assertThat(function.get("AutoPublishAlias")).as("AutoPublishAlias must be set: SnapStart applies only "
                + "to published versions, and without the alias the API would call $LATEST with no snapshot")
                .isInstanceOf(String.class).asString().isNotBlank();
    }

    static void checkArchitecture(CfnTemplate template) {
        assertThat(function(template).get("Architectures"))
                .as("Architectures must be [!Ref Architecture] so deploy.sh --arch picks it")
                .isEqualTo(List.of(Map.of("Ref", "Architecture")));
        Map<String, Object> parameter = template.map("Parameters", "Architecture");
        assertThat(parameter.get("AllowedValues")).as("Architecture AllowedValues must be exactly the two "
                + "Lambda architectures package-function.sh can build for").isEqualTo(List.of("x86_64", "arm64"));
        assertThat(parameter.get("Default")).as("Architecture Default").isIn("x86_64", "arm64");
    }

    static void checkEnvironmentAndApi(CfnTemplate template) {
        Map<String, Object> variables = template.map("Resources", template.onlyResource(FUNCTION), "Properties",
                "Environment", "Variables");
        assertThat(variables.get("MODEL_BUNDLE")).as("MODEL_BUNDLE must point at model/ in the package, or "
                + "init fails to find the bundle").isEqualTo("/var/task/model");
        assertThat(String.valueOf(variables.get("JAVA_TOOL_OPTIONS")).split(" "))
                .as("JAVA_TOOL_OPTIONS: natives must load from /var/task/native, not be extracted to /tmp at "
                        + "every cold start, and C1-only JIT keeps init short")
                .contains("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                        "-Dorg.bytedeco.javacpp.pathsFirst=true", "-Djava.library.path=/var/task/native",
                        "-Donnxruntime.native.path=/var/task/native");
        String id = template.onlyResource(FUNCTION);
        String api = template.onlyResource("AWS::Serverless::Api");
        assertThat(template.map("Resources", id, "Properties", "Events").values())
                .as("the function needs an Api event POST /predict on the stack's API, or the stack has no endpoint")
                .anySatisfy(event -> assertThat(event).isEqualTo(Map.of("Type", "Api",
                        "Properties", Map.of("RestApiId", Map.of("Ref", api), "Path", "/predict", "Method", "post"))));
        assertThat(template.map("Globals", "Api").get("BinaryMediaTypes"))
                .as("API Gateway must pass image bodies as binary, or they arrive as mangled text")
                .isEqualTo(List.of("image~1*", "application~1octet-stream", "multipart~1form-data"));
    }

    static void checkDockerfile(CfnTemplate template, String dockerfile) {
        String runtime = string(function(template), "Runtime");
        Matcher from = Pattern.compile("^FROM\\s+public\\.ecr\\.aws/lambda/java:(\\d+)\\s*$", Pattern.MULTILINE)
                .matcher(dockerfile);
        assertThat(from.find()).as("infra/Dockerfile must build FROM public.ecr.aws/lambda/java:<N>").isTrue();
        assertThat("java" + from.group(1)).as("infra/Dockerfile base image java:%s must be the template's "
                + "Runtime, or the image and the zip run on different JVMs", from.group(1)).isEqualTo(runtime);
        Matcher cmd = Pattern.compile("^CMD\\s+\\[\\s*\"([^\"]+)\"\\s*]\\s*$", Pattern.MULTILINE).matcher(dockerfile);
        assertThat(cmd.find()).as("infra/Dockerfile needs CMD [\"class::method\"]").isTrue();
        assertThat(cmd.group(1)).as("infra/Dockerfile CMD must name the template's Handler")
                .isEqualTo(string(function(template), "Handler"));
        Map<String, String> env = new LinkedHashMap<>();
        Matcher line = Pattern.compile("^ENV\\s+(\\w+)=(\"?)(.*)\\2\\s*$", Pattern.MULTILINE).matcher(dockerfile);
        while (line.find()) {
            env.put(line.group(1), line.group(3));
        }
        assertThat(env).as("infra/Dockerfile ENV must equal the template's Environment.Variables, or the image "
                + "behaves differently from the zip deployment").isEqualTo(template.map("Resources",
                template.onlyResource(FUNCTION), "Properties", "Environment", "Variables"));
    }

    // ---- a public endpoint you can leave running ----

    private static Map<String, Object> resource(CfnTemplate template, String type) {
        return template.map("Resources", template.onlyResource(type));
    }

    private static Map<String, Object> ref(String name) {
        return Map.of("Ref", name);
    }

    static void checkAuthOnByDefault(CfnTemplate template) {
        Map<String, Object> auth = template.map("Parameters", "Auth");
        assertThat(auth.get("AllowedValues")).as("Auth must offer API_KEY, IAM and NONE")
                .isEqualTo(List.of("API_KEY", "IAM", "NONE"));
        assertThat(auth.get("Default")).as("Auth must default to API_KEY: an open endpoint only by explicit choice")
                .isEqualTo("API_KEY");
        assertThat(template.map("Conditions").get("UseApiKey")).isEqualTo(Map.of("Fn::Equals", List.of(ref("Auth"), "API_KEY")));
        assertThat(template.map("Conditions").get("UseIam")).isEqualTo(Map.of("Fn::Equals", List.of(ref("Auth"), "IAM")));
        Map<String, Object> api = template.map("Resources", template.onlyResource("AWS::Serverless::Api"), "Properties");
        assertThat(api.get("MergeDefinitions")).as("MergeDefinitions: true, or SAM leaves the definition without the "
                + "Lambda integration").isEqualTo(true);
        Map<String, Object> body = template.map("Resources", template.onlyResource("AWS::Serverless::Api"), "Properties",
                "DefinitionBody");
        assertThat(template.map("Resources", template.onlyResource("AWS::Serverless::Api"), "Properties",
                "DefinitionBody", "securityDefinitions", "api_key"))
                .as("the API key comes in the x-api-key header").isEqualTo(Map.of("type", "apiKey", "name", "x-api-key",
                        "in", "header"));
        assertThat(template.map("Resources", template.onlyResource("AWS::Serverless::Api"), "Properties",
                "DefinitionBody", "securityDefinitions", "sigv4").get("x-amazon-apigateway-authtype")).isEqualTo("awsSigv4");
        assertThat(template.map("Resources", template.onlyResource("AWS::Serverless::Api"), "Properties",
                "DefinitionBody", "paths", "/predict", "post").get("security"))
                .as("POST /predict requires the API key under API_KEY, SigV4 under IAM, nothing only under NONE")
                .isEqualTo(Map.of("Fn::If", List.of("UseApiKey", List.of(Map.of("api_key", List.of())),
                        Map.of("Fn::If", List.of("UseIam", List.of(Map.of("sigv4", List.of())), ref("AWS::NoValue"))))));
        assertThat(body).isNotEmpty();
    }

    static void checkUsagePlanAndThrottles(CfnTemplate template) {
        String api = template.onlyResource("AWS::Serverless::Api");
        Map<String, Object> plan = resource(template, "AWS::ApiGateway::UsagePlan");
        assertThat(plan.get("Condition")).as("the usage plan exists with the API key").isEqualTo("UseApiKey");
        Map<String, Object> properties = template.map("Resources", template.onlyResource("AWS::ApiGateway::UsagePlan"),
                "Properties");
        assertThat(properties.get("ApiStages")).as("the usage plan covers the API's stage")
                .isEqualTo(List.of(Map.of("ApiId", ref(api), "Stage", ref(api + ".Stage"))));
        assertThat(properties.get("Throttle")).as("the usage plan throttles the key")
                .isEqualTo(Map.of("RateLimit", ref("UsagePlanRateLimit"), "BurstLimit", ref("UsagePlanBurstLimit")));
        assertThat(properties.get("Quota")).as("the usage plan has a daily quota")
                .isEqualTo(Map.of("Limit", ref("UsagePlanDailyQuota"), "Period", "DAY"));
        Map<String, Object> key = template.map("Resources", template.onlyResource("AWS::ApiGateway::UsagePlanKey"),
                "Properties");
        assertThat(key).as("the stack's key belongs to the plan").isEqualTo(Map.of(
                "KeyId", ref(template.onlyResource("AWS::ApiGateway::ApiKey")), "KeyType", "API_KEY",
                "UsagePlanId", ref(template.onlyResource("AWS::ApiGateway::UsagePlan"))));
        for (String parameter : List.of("UsagePlanRateLimit", "UsagePlanBurstLimit", "UsagePlanDailyQuota",
                "StageRateLimit", "StageBurstLimit")) {
            assertThat(((Number) template.map("Parameters", parameter).get("Default")).doubleValue())
                    .as("%s default", parameter).isPositive();
        }
        Object settings = template.map("Resources", api, "Properties").get("MethodSettings");
        assertThat(settings).as("the stage throttles every method, whatever the auth").isEqualTo(List.of(Map.of(
                "ResourcePath", "/*", "HttpMethod", "*", "ThrottlingRateLimit", ref("StageRateLimit"),
                "ThrottlingBurstLimit", ref("StageBurstLimit"), "MetricsEnabled", true)));
    }

    static void checkConcurrencyTimeoutAndTracing(CfnTemplate template) {
        Map<String, Object> function = function(template);
        assertThat(function.get("ReservedConcurrentExecutions")).as("ReservedConcurrentExecutions caps the bill")
                .isEqualTo(ref("ReservedConcurrency"));
        int reserved = ((Number) template.map("Parameters", "ReservedConcurrency").get("Default")).intValue();
        assertThat(reserved).as("ReservedConcurrency default").isBetween(1, 100);
        int timeout = ((Number) function.get("Timeout")).intValue();
        assertThat(TimeBudget.DEFAULT.fetch()).as("the time budget starts from the fetcher's own limit")
                .isEqualTo(FetchLimits.DEFAULT.totalTimeout());
        assertThat(timeout).as("Timeout must be TimeBudget.DEFAULT (fetch %s + decode %s + inference %s + margin %s), "
                        + "derived from FetchLimits.DEFAULT", TimeBudget.DEFAULT.fetch(), TimeBudget.DEFAULT.decode(),
                        TimeBudget.DEFAULT.inference(), TimeBudget.DEFAULT.margin())
                .isEqualTo(TimeBudget.DEFAULT.lambdaTimeoutSeconds());
        assertThat((long) timeout).as("Timeout must leave room after the slowest allowed fetch")
                .isGreaterThan(FetchLimits.DEFAULT.totalTimeout().toSeconds());
        assertThat(function.get("Tracing")).isEqualTo(ref("Tracing"));
        assertThat(template.map("Parameters", "Tracing").get("AllowedValues")).isEqualTo(List.of("Active", "PassThrough"));
    }

    static void checkLogs(CfnTemplate template) {
        String logGroup = template.onlyResource("AWS::Logs::LogGroup");
        assertThat(template.map("Resources", logGroup, "Properties").get("RetentionInDays"))
                .as("the log group keeps logs for LogRetentionDays, not forever").isEqualTo(ref("LogRetentionDays"));
        assertThat(template.map("Parameters", "LogRetentionDays").get("Default")).isEqualTo(30);
        assertThat(template.map("Resources", template.onlyResource(FUNCTION), "Properties", "LoggingConfig"))
                .as("Lambda's JSON log format, INFO (the metrics ride on INFO lines), into the retained log group")
                .isEqualTo(Map.of("LogFormat", "JSON", "ApplicationLogLevel", "INFO", "SystemLogLevel", "WARN",
                        "LogGroup", ref(logGroup)));
    }

    static void checkAlarmsRollBackTheCanary(CfnTemplate template) {
        Map<String, Object> preference = template.map("Resources", template.onlyResource(FUNCTION), "Properties",
                "DeploymentPreference");
        assertThat(preference.get("Type")).isEqualTo(ref("DeploymentType"));
        assertThat(String.valueOf(template.map("Parameters", "DeploymentType").get("Default")))
                .as("a new version takes a share of the traffic first").startsWith("Canary");
        List<String> alarms = template.map("Resources").entrySet().stream()
                .filter(e -> e.getValue() instanceof Map<?, ?> r && "AWS::CloudWatch::Alarm".equals(r.get("Type")))
                .map(Map.Entry::getKey).toList();
        assertThat(alarms).as("the four alarms").hasSize(4);
        assertThat(preference.get("Alarms")).as("every alarm rolls a bad version back")
                .isEqualTo(alarms.stream().map(InfraTemplateTest::ref).toList());
        Map<String, String> metricOf = new LinkedHashMap<>();
        for (String alarm : alarms) {
            Map<String, Object> p = template.map("Resources", alarm, "Properties");
            if (p.get("MetricName") != null) {
                metricOf.put(p.get("Namespace") + "/" + p.get("MetricName"), alarm);
            } else {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> metrics = (List<Map<String, Object>>) p.get("Metrics");
                for (Map<String, Object> m : metrics) {
                    if (m.get("MetricStat") instanceof Map<?, ?> stat && stat.get("Metric") instanceof Map<?, ?> metric) {
                        metricOf.put(metric.get("Namespace") + "/" + metric.get("MetricName"), alarm);
                    }
                }
            }
        }
        assertThat(metricOf.keySet()).as("5xx rate, duration, throttles, and the unsure rate the function logs")
                .containsExactlyInAnyOrder("AWS/ApiGateway/5XXError", "AWS/Lambda/Duration", "AWS/Lambda/Throttles",
                        RequestLog.NAMESPACE + "/unsure");
        assertThat(template.map("Resources", metricOf.get("AWS/Lambda/Duration"), "Properties").get("ExtendedStatistic"))
                .isEqualTo("p99");
        assertThat(template.map("Resources", metricOf.get("AWS/ApiGateway/5XXError"), "Properties").get("Statistic"))
                .as("5XXError's average is the 5xx rate").isEqualTo("Average");
        assertThat(template.map("Resources", metricOf.get(RequestLog.NAMESPACE + "/unsure"), "Properties")
                .get("Threshold")).isEqualTo(ref("UnsureRateThreshold"));
    }

    @Test
    void authIsOnByDefault() throws Exception {
        checkAuthOnByDefault(template());
    }

    @Test
    void usagePlanAndStageThrottleGuardTheCost() throws Exception {
        checkUsagePlanAndThrottles(template());
    }

    @Test
    void concurrencyIsReservedAndTheTimeoutFollowsTheFetchLimits() throws Exception {
        checkConcurrencyTimeoutAndTracing(template());
    }

    @Test
    void logsAreJsonAndKeptForTheRetention() throws Exception {
        checkLogs(template());
    }

    @Test
    void alarmsRollBackTheCanary() throws Exception {
        checkAlarmsRollBackTheCanary(template());
    }

    @Test
    void brokenCopiesOfTheGuardsFailTheirChecks() throws Exception {
        String text = read("infra/template.yaml");
        CfnTemplate open = CfnTemplate.parse("copy", text.replace("    Default: API_KEY\n", "    Default: NONE\n"));
        assertThatThrownBy(() -> checkAuthOnByDefault(open)).hasMessageContaining("Auth must default to API_KEY");

        CfnTemplate thirty = CfnTemplate.parse("copy", text.replace("Timeout: 15", "Timeout: 30"));
        assertThatThrownBy(() -> checkConcurrencyTimeoutAndTracing(thirty)).hasMessageContaining("TimeBudget.DEFAULT");

        CfnTemplate unguarded = CfnTemplate.parse("copy", text.replace(
                "      ReservedConcurrentExecutions: !Ref ReservedConcurrency\n", ""));
        assertThatThrownBy(() -> checkConcurrencyTimeoutAndTracing(unguarded)).hasMessageContaining("caps the bill");

        CfnTemplate forever = CfnTemplate.parse("copy", text.replace(
                "      RetentionInDays: !Ref LogRetentionDays\n", ""));
        assertThatThrownBy(() -> checkLogs(forever)).hasMessageContaining("not forever");

        CfnTemplate unwired = CfnTemplate.parse("copy", text.replace("          - !Ref UnsureRateAlarm\n", ""));
        assertThatThrownBy(() -> checkAlarmsRollBackTheCanary(unwired)).hasMessageContaining("rolls a bad version back");

        CfnTemplate noQuota = CfnTemplate.parse("copy", text.replace("        Period: DAY\n", "        Period: MONTH\n"));
        assertThatThrownBy(() -> checkUsagePlanAndThrottles(noQuota)).hasMessageContaining("daily quota");
    }

    // ---- the gate on the real files ----

    @Test
    void runtimeCanStillBeCreatedToday() throws Exception {
        checkRuntimeCanBeCreated(template(), runtimes(), LocalDate.now());
    }

    @Test
    void handlerExistsAndLambdaCanCallIt() throws Exception {
        checkHandler(template());
    }

    @Test
    void codeUriIsWhatPackageFunctionWrites() throws Exception {
        checkCodeUri(template(), root(), read("infra/package-function.sh"));
    }

    @Test
    void snapStartAppliesToThePublishedAlias() throws Exception {
        checkSnapStart(template());
    }

    @Test
    void architectureIsAParameterOfTheTwoLambdaArchitectures() throws Exception {
        checkArchitecture(template());
    }

    @Test
    void environmentLoadsPreExtractedNativesAndApiTakesImages() throws Exception {
        checkEnvironmentAndApi(template());
    }

    @Test
    void dockerfileRunsTheSameRuntimeHandlerAndEnvironment() throws Exception {
        checkDockerfile(template(), read("infra/Dockerfile"));
    }

    @Test
    void runtimeTableAgreesWithTheLinterForJava17And21() throws Exception {
        // java17's creation block is what made the move to java21; the table must keep saying so.
        assertThat(runtimes().dates("java17").map(LambdaRuntimes.Dates::blockCreate))
                .contains(LocalDate.parse("2026-07-31"));
        assertThat(runtimes().dates("java21").map(LambdaRuntimes.Dates::blockCreate))
                .contains(LocalDate.parse("2029-07-31"));
    }

    @Test
    void cfnLintReportsNothing() throws Exception {
        Optional<Path> cfnLint = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "cfn-lint")).filter(Files::isExecutable).findFirst();
        if (cfnLint.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("cfn-lint not installed on this CI machine, so the template is not linted: pip install cfn-lint");
            }
            Assumptions.abort("cfn-lint not installed: pip install cfn-lint");
        }
        Path output = Files.createTempFile("cfn-lint", ".txt");
        try {
            // Informational findings too (--include-checks I): the gate wants nothing at all.
            Process process = new ProcessBuilder(cfnLint.get().toString(), "--include-checks", "I", "--",
                    "infra/template.yaml")
                    .directory(root().toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("cfn-lint infra/template.yaml did not finish within 120 s");
            }
            String findings = Files.readString(output);
            assertThat(process.exitValue())
                    .as("cfn-lint infra/template.yaml found what CloudFormation would reject or warn about:%n%s",
                            findings)
                    .isZero();
            assertThat(findings).as("cfn-lint infra/template.yaml output").isEmpty();
        } finally {
            Files.deleteIfExists(output);
        }
    }

    // ---- the gate can fail ----

    @Test
    void java17TemplateIsRejectedAfterItsCreationBlock() throws Exception {
        String text = read("infra/template.yaml");
        assertThat(text).contains("Runtime: java21");
        CfnTemplate java17 = CfnTemplate.parse("java17 copy", text.replace("Runtime: java21", "Runtime: java17"));

        assertThatThrownBy(() -> checkRuntimeCanBeCreated(java17, runtimes(), LocalDate.now()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Runtime java17").hasMessageContaining("2026-07-31");
        // The check follows the table's date, not a fixed list: the day before the block it passed.
        checkRuntimeCanBeCreated(java17, runtimes(), LocalDate.parse("2026-07-30"));
        assertThatThrownBy(() -> checkDockerfile(java17, read("infra/Dockerfile")))
                .hasMessageContaining("java:21").hasMessageContaining("java17");
    }

    @Test
    void runtimeMissingFromTheTableIsRejected() throws Exception {
        CfnTemplate nodejs = CfnTemplate.parse("nodejs copy",
                read("infra/template.yaml").replace("Runtime: java21", "Runtime: nodejs22.x"));
        assertThatThrownBy(() -> checkRuntimeCanBeCreated(nodejs, runtimes(), LocalDate.now()))
                .hasMessageContaining("Runtime nodejs22.x is not in infra/lambda-runtimes.tsv");
    }

    @Test
    void unquotedDescriptionFailsToParseWithTheLine() throws Exception {
        String text = read("infra/template.yaml");
        String quoted = "Description: 'Clothes classifier - POST /predict with {\"url\": ...}, {\"image\": base64} "
                + "or an image body.'";
        assertThat(text).contains(quoted);
        String broken = text.replace(quoted, quoted.replace("'", ""));

        assertThatThrownBy(() -> CfnTemplate.parse("unquoted copy", broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unquoted copy is not valid YAML")
                .hasMessageContaining("mapping values are not allowed")
                .hasMessageContaining("line 3");
    }

    @Test
    void otherBrokenCopiesFailTheirChecks() throws Exception {
        String text = read("infra/template.yaml");
        CfnTemplate noAlias = CfnTemplate.parse("copy", text.replace("      AutoPublishAlias: live\n", ""));
        assertThatThrownBy(() -> checkSnapStart(noAlias)).hasMessageContaining("AutoPublishAlias must be set");

        CfnTemplate fixedArch = CfnTemplate.parse("copy",
                text.replace("Architectures: [!Ref Architecture]", "Architectures: [x86_64]"));
        assertThatThrownBy(() -> checkArchitecture(fixedArch)).hasMessageContaining("[!Ref Architecture]");

        CfnTemplate otherZip = CfnTemplate.parse("copy", text.replace("../dist/function.zip", "../dist/f.zip"));
        assertThatThrownBy(() -> checkCodeUri(otherZip, root(), read("infra/package-function.sh")))
                .hasMessageContaining("CodeUri ../dist/f.zip");
        assertThatThrownBy(() -> checkCodeUri(template(), root(), "jar --create --file \"$root/dist/x.zip\"\n"))
                .hasMessageContaining("zip=\"$root/dist/function.zip\"");

        CfnTemplate otherHandler = CfnTemplate.parse("copy", text.replace("PredictHandler::", "NoSuchHandler::"));
        assertThatThrownBy(() -> checkHandler(otherHandler))
                .hasMessageContaining("dev.clothes.lambda.handler.NoSuchHandler is not on the classpath");
        CfnTemplate noMethod = CfnTemplate.parse("copy", text.replace("::handleRequest", "::handle"));
        assertThatThrownBy(() -> checkHandler(noMethod)).hasMessageContaining("Handler method handle(");

        assertThatThrownBy(() -> CfnTemplate.parse("dup copy", text + "Outputs: {}\n"))
                .hasMessageContaining("dup copy is not valid YAML").hasMessageContaining("Outputs");
    }

    @Test
    void shortTagsReadAsTheirLongForm() {
        CfnTemplate parsed = CfnTemplate.parse("tags", """
                A: !Ref Bucket
                B: !GetAtt Function.Arn
                C: !Sub "https://${Api}.example"
                D: !If [IsProd, !Join [",", [a, b]], !Ref AWS::NoValue]
                E: !Select [0, !GetAZs ""]
                F: !Equals [!Ref Env, prod]
                """);
        assertThat(parsed.tree()).isEqualTo(Map.of(
                "A", Map.of("Ref", "Bucket"),
                "B", Map.of("Fn::GetAtt", List.of("Function", "Arn")),
                "C", Map.of("Fn::Sub", "https://${Api}.example"),
                "D", Map.of("Fn::If", List.of("IsProd", Map.of("Fn::Join", List.of(",", List.of("a", "b"))),
                        Map.of("Ref", "AWS::NoValue"))),
                "E", Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))),
                "F", Map.of("Fn::Equals", List.of(Map.of("Ref", "Env"), "prod"))));
        assertThatThrownBy(() -> CfnTemplate.parse("tags", "A: !NotATag x\n"))
                .hasMessageContaining("!NotATag");
    }
}
