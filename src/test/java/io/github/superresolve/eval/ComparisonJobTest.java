package io.github.superresolve.eval;

import io.github.superresolve.image.Kernel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Method names in a comparison stay distinct, so that no method's row replaces another's. */
public class ComparisonJobTest {

    private static Comparison.Method named(String name) {
        return Comparison.interpolation(name, Kernel.BICUBIC);
    }

    @Test
    void keptCheckpointsOfOneRunAreNamedByTheirFiles() {
        List<Comparison.Method> ms = List.of(named("bicubic"), named("gan"), named("gan"));
        List<Comparison.Method> out = ComparisonJob.distinctNames(ms, List.of("bicubic", "runs/gan-step10.zip", "runs/gan-step20.zip"));
        assertEquals(List.of("bicubic", "gan-step10", "gan-step20"), out.stream().map(Comparison.Method::name).toList());
        assertTrue(out.get(1).supports(2));
    }

    @Test
    void theSameFileNameInTwoFoldersKeepsTheWholePath() {
        List<Comparison.Method> out = ComparisonJob.distinctNames(List.of(named("gan"), named("gan")), List.of("a/gan.zip", "b/gan.zip"));
        assertEquals(List.of("a/gan.zip", "b/gan.zip"), out.stream().map(Comparison.Method::name).toList());
    }

    @Test
    void distinctNamesAreLeftAlone() {
        List<Comparison.Method> ms = List.of(named("srresnet-x2"), named("srgan-x2"));
        assertSame(ms, ComparisonJob.distinctNames(ms, List.of("srresnet-x2", "models/srgan-x2.zip")));
    }
}
