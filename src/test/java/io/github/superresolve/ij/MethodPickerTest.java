package io.github.superresolve.ij;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The methods list the picker gives back: ticked choices in their order, then the files and other names typed. */
class MethodPickerTest {

    @Test
    void tickedChoicesThenOtherEntriesCommaSeparated() {
        List<String> choices = List.of("srresnet-x4", "srgan-x4", "lanczos", "bicubic");
        assertEquals("srresnet-x4,bicubic,/nets/espcn.onnx",
                MethodPicker.join(choices, new boolean[]{true, false, false, true}, " /nets/espcn.onnx , "));
        assertEquals("", MethodPicker.join(choices, new boolean[4], ""));
        assertEquals("lanczos", MethodPicker.join(choices, new boolean[]{false, false, true, false}, "lanczos"), "no name twice");
        assertEquals(List.of("a", "b c"), MethodPicker.split(" a,, b c ,"));
    }
}
