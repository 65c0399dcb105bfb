// Compare super-resolution methods on a folder of ground-truth images and save the tables
// (ImageJ 1.x / Fiji macro).
//
// Interactive: Plugins > Macros > Run..., then pick the folder and options.
// Batch / headless:
//   ImageJ -batch Compare_Folder.ijm "input_directory=/data/truth output_directory=/data/scores scale=2,4 methods=[bicubic,lanczos]"
//   bin/super-resolve imagej -batch macros/Compare_Folder.ijm "input_directory=... output_directory=..."
// Keys (all optional but the two folders): scale (one or several, e.g. 2,4), methods (comma-separated:
// bicubic, lanczos, model names or files; empty = bicubic, lanczos and every matching model),
// channels (3, or 1 for luminance), max_side (centre crop, default 512), luminance (score on Y: yes/no).
// Writes to output_directory: comparison.csv (image,method,scale,mse,psnr,ssim,rse,rsp,hf with 'mean' rows, the
// same file as 'super-resolve compare --csv'), comparison_table.csv (the ImageJ table, per-channel
// columns too), table1.csv (methods as columns) and montage.png (the busiest crop across methods).

args = getArgument();
input = valueOf(args, "input_directory", "");
output = valueOf(args, "output_directory", "");
scale = valueOf(args, "scale", "4");
methods = valueOf(args, "methods", "");
channels = valueOf(args, "channels", "3");
maxSide = valueOf(args, "max_side", "512");
luminance = valueOf(args, "luminance", "no");

if (input == "" || output == "") {
	if (is("Batch Mode") && args != "")
		exit("Compare_Folder: give input_directory=... and output_directory=...");
	Dialog.create("Compare Methods on a Folder");
	Dialog.addDirectory("Input_directory", input);
	Dialog.addDirectory("Output_directory", output);
	Dialog.addString("Scale", scale);
	Dialog.addString("Methods", methods, 30);
	Dialog.addChoice("Channels", newArray("3", "1"), channels);
	Dialog.addNumber("Max_side", parseInt(maxSide));
	Dialog.addCheckbox("Luminance", luminance == "yes");
	Dialog.show();
	input = Dialog.getString();
	output = Dialog.getString();
	scale = Dialog.getString();
	methods = Dialog.getString();
	channels = Dialog.getChoice();
	maxSide = "" + Dialog.getNumber();
	if (Dialog.getCheckbox()) luminance = "yes";
	else luminance = "no";
}
if (!endsWith(output, File.separator)) output = output + File.separator;
if (!File.isDirectory(input)) exit("Compare_Folder: input folder " + input + " does not exist.");
File.makeDirectory(output);
if (!File.isDirectory(output)) exit("Compare_Folder: output folder " + output + " cannot be created.");

options = "source=folder input_directory=[" + input + "] scale=[" + scale + "] channels=" + channels
	+ " max_side=" + maxSide + " montage csv_file=[" + output + "comparison.csv]";
if (methods != "") options = options + " methods=[" + methods + "]";
if (luminance == "yes") options = options + " luminance";

setBatchMode(true);
run("Compare Methods...", options);
Table.save(output + "comparison_table.csv", "Comparison");
Table.save(output + "table1.csv", "Table 1");
if (nImages > 0) {
	selectImage(nImages);
	saveAs("PNG", output + "montage.png");
	close();
}
print("Compare_Folder: compared " + input + " at x" + scale + "; tables in " + output);

function valueOf(text, key, def) {
	// reads key=value or key=[value with spaces] from the macro argument
	i = indexOf(" " + text, " " + key + "=");
	if (i < 0) return def;
	s = substring(text, i + lengthOf(key) + 1);
	if (startsWith(s, "[")) return substring(s, 1, indexOf(s, "]"));
	j = indexOf(s, " ");
	if (j < 0) return s;
	return substring(s, 0, j);
}
