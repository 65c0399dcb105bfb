// Trains a Super-Resolve network on a folder of high-resolution images.
// Interactive: asks for the folders. Batch/headless (ImageJ -batch this.ijm "key=value ..."):
//   input_directory=[...] output_model=[.../my-x4.zip] scale=4 channels=3 steps=2000 [validation_directory=[...]] [resume]
// Esc (or closing ImageJ) writes a checkpoint; run again with resume to continue.
args = getArgument();
if (args == "") {
    input = getDirectory("Folder of high-resolution training images");
    output = File.openDialog("Model file to write (.zip)");
    Dialog.create("Train on Folder");
    Dialog.addChoice("scale", newArray("2", "4", "8"), "4");
    Dialog.addChoice("channels", newArray("3", "1"), "3");
    Dialog.addNumber("steps", 2000);
    Dialog.show();
    args = "input_directory=[" + input + "] output_model=[" + output + "] scale=" + Dialog.getChoice()
        + " channels=" + Dialog.getChoice() + " steps=" + Dialog.getNumber();
}
run("Train on Folder...", args);
print("Training finished: " + args);
