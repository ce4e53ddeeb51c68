package dev.clothes.quality.training;

import dev.clothes.cli.ChildJvm;
import dev.clothes.inference.json.Json;
import dev.clothes.testing.Shared;
import dev.clothes.trainer.cli.TrainerCli;
import dev.clothes.trainer.train.EpochMetrics;
import dev.clothes.trainer.train.HeadConfig;
import dev.clothes.trainer.train.TrainOptions;
import dev.clothes.trainer.train.TrainingRun;
import dev.clothes.trainer.train.TrainingState;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A real training run (the trainer's CLI in its own JVM) killed with SIGKILL while it trains, then
 * resumed: the checkpoint it left must be intact, and the resumed run must end where an uninterrupted
 * run with the same settings ends.
 */
class TrainingKillResumeTest {

    @TempDir
    Path tmp;

    private List<String> args(Path data, Path out) {
        return new ArrayList<>(List.of("--data", data.toString(), "--out", out.toString(), "--backbone", "mobilenet-v2",
                "--weights", Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite").toString(),
                "--augment-variants", "3", "--epochs", "24", "--patience", "24", "--hidden", "64", "--batch", "4",
                "--cache", tmp.resolve("cache").toString()));
    }

    /** What {@link #args} say, built directly: a resume of the CLI's run is refused unless both agree. */
    private TrainOptions options(Path data, Path out) {
        return TrainOptions.builder(data, out)
                .backbone("mobilenet-v2", Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"))
                .variants(3)
                .head(new HeadConfig(64, HeadConfig.DROPOUT, HeadConfig.LEARNING_RATE, HeadConfig.L2, 4, 24, 24,
                        true, HeadConfig.SEED, HeadConfig.LABEL_SMOOTHING))
                .cache(tmp.resolve("cache")).build();
    }

    private static TrainingRun.Result train(TrainOptions options) throws Exception {
        return TrainingRun.run(options, new PrintStream(new ByteArrayOutputStream(), true));
    }

    @Test
    void aKilledRunResumesToTheUninterruptedResult() throws Exception {
        Path data = Shared.tinyDataset(tmp.resolve("data"), List.of("shoes", "shorts", "t-shirt"), 10, 4, 4);
        TrainingRun.Result reference = train(options(data, tmp.resolve("reference")));

        // The same run in a child JVM (features are cached by now, so it spends its time training), killed
        // with SIGKILL once a few epochs are checkpointed.
        Path killed = tmp.resolve("killed");
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(),
                "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=2g", "-cp", System.getProperty("java.class.path"),
                TrainerCli.class.getName(), "train"));
        command.addAll(args(data, killed));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile()).start();
        Path state = killed.resolve("checkpoints/state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (epochsDone(state) < 3) {
            assertThat(child.isAlive()).as("training ended before it could be killed:\n%s",
                    Files.readString(tmp.resolve("killed.log"))).isTrue();
            assertThat(System.nanoTime()).as("no checkpoint within 120 s").isLessThan(deadline);
            Thread.sleep(2);
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        TrainingState left = Json.mapper().readValue(state.toFile(), TrainingState.class);
        assertThat(left.finished()).isFalse();
        assertThat(left.epochsDone()).isBetween(3, 23);
        // Intact: the networks the state names load, with the updater state for the last one.
        assertThat(ModelSerializer.restoreComputationGraph(
                killed.resolve("checkpoints/last-epoch-" + left.epochsDone() + ".zip").toFile(), true).numParams()).isPositive();
        assertThat(ModelSerializer.restoreComputationGraph(
                killed.resolve("checkpoints/best-epoch-" + left.bestEpoch() + ".zip").toFile(), false).numParams()).isPositive();

        TrainingRun.Result resumed = train(options(data, killed).toBuilder().resume(true).build());

        List<EpochMetrics> a = reference.state().history();
        List<EpochMetrics> b = resumed.state().history();
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).validationAccuracy()).as("epoch %d validation accuracy", i + 1)
                    .isCloseTo(a.get(i).validationAccuracy(), within(0.005));
            assertThat(b.get(i).trainLoss()).as("epoch %d training loss", i + 1)
                    .isCloseTo(a.get(i).trainLoss(), within(1e-3));
        }
        assertThat(resumed.state().bestEpoch()).isEqualTo(reference.state().bestEpoch());
        assertThat(resumed.test().accuracy()).isCloseTo(reference.test().accuracy(), within(0.005));
        System.out.printf("killed after %d checkpointed epochs; resumed run: best epoch %d, test accuracy %.4f "
                        + "(uninterrupted: %d, %.4f)%n", left.epochsDone(), resumed.state().bestEpoch(),
                resumed.test().accuracy(), reference.state().bestEpoch(), reference.test().accuracy());
    }

    private static int epochsDone(Path state) {
        try {
            return Files.isRegularFile(state) ? Json.mapper().readValue(state.toFile(), TrainingState.class).epochsDone() : 0;
        } catch (Exception beingReplaced) {
            return 0;
        }
    }
}
