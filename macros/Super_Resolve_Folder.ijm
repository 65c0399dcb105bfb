// Super-resolve every image of a folder into another folder (ImageJ 1.x / Fiji macro).
//
// Interactive: Plugins > Macros > Run..., then pick the folders and options.
// Batch / headless:
//   ImageJ -batch Super_Resolve_Folder.ijm "input_directory=/data/in output_directory=/data/out model=lanczos scale=2"
//   bin/super-resolve imagej -batch macros/Super_Resolve_Folder.ijm "input_directory=... output_directory=..."
// Keys (all optional but the two folders): model, scale, tile_size, overlap, output_bit_depth,
// file_filter (a regular expression on file names, default: common image types), consistency_map
// (also write NAME-consistency.tif, where each result disagrees with its input, and consistency.csv
// with every image's RSE and RSP; degradation=bicubic|box|gaussian:SIGMA chooses how results are degraded back).
// Outputs are TIFF (every plane, bit depth and calibration kept), named after the input; an output that
// already exists is skipped, so an interrupted run can simply be started again.

args = getArgument();
input = valueOf(args, "input_directory", "");
output = valueOf(args, "output_directory", "");
model = valueOf(args, "model", "");
scale = valueOf(args, "scale", "");
tile = valueOf(args, "tile_size", "0");
overlap = valueOf(args, "overlap", "-1");
depth = valueOf(args, "output_bit_depth", "same");
filter = valueOf(args, "file_filter", "(?i).*\\.(tif|tiff|png|jpg|jpeg|gif|bmp|dcm)$");
consistency = false;
given = valueOf(args, "consistency_map", "false");
if (given == "true" || given == "1") consistency = true;
if (indexOf(" " + args + " ", " consistency_map ") >= 0) consistency = true;
degradation = valueOf(args, "degradation", "bicubic");

if (input == "" || output == "") {
	if (is("Batch Mode") && args != "")
		exit("Super_Resolve_Folder: give input_directory=... and output_directory=...");
	Dialog.create("Super-Resolve Folder");
	Dialog.addDirectory("Input_directory", input);
	Dialog.addDirectory("Output_directory", output);
	defaultModel = model;
	if (defaultModel == "") defaultModel = "lanczos";
	defaultScale = 4;
	if (scale != "") defaultScale = parseInt(scale);
	Dialog.addString("Model", defaultModel);
	Dialog.addNumber("Scale", defaultScale);
	Dialog.addChoice("Output_bit_depth", newArray("same", "32-bit"), depth);
	Dialog.show();
	input = Dialog.getString();
	output = Dialog.getString();
	model = Dialog.getString();
	scale = "" + Dialog.getNumber();
	depth = Dialog.getChoice();
}
if (!endsWith(input, File.separator)) input = input + File.separator;
if (!endsWith(output, File.separator)) output = output + File.separator;
if (!File.isDirectory(input)) exit("Super_Resolve_Folder: input folder " + input + " does not exist.");
File.makeDirectory(output);
if (!File.isDirectory(output)) exit("Super_Resolve_Folder: output folder " + output + " cannot be created.");

options = "tile_size=" + tile + " overlap=" + overlap + " output_bit_depth=" + depth;
if (model != "") options = "model=[" + model + "] " + options;
if (scale != "") options = "scale=" + scale + " " + options;
if (consistency) options = options + " consistency_map degradation=[" + degradation + "]";

setBatchMode(true);
files = getFileList(input);
done = 0; skipped = 0; failed = 0;
for (i = 0; i < files.length; i++) {
	name = files[i];
	if (endsWith(name, "/") || !matches(name, filter)) continue;
	dot = lastIndexOf(name, ".");
	base = name;
	if (dot > 0) base = substring(name, 0, dot);
	target = output + base + ".tif";
	if (File.exists(target)) { skipped++; continue; }
	open(input + name);
	id = getImageID();
	run("Super-Resolve Image...", options);
	if (getImageID() == id) { // no result: the command reported an error
		failed++;
		close("*");
		continue;
	}
	if (consistency) { // the map is shown after the result
		mapId = getImageID();
		resultId = 0;
		saveAs("Tiff", output + base + "-consistency.tif");
		for (k = 1; k <= nImages; k++) {
			selectImage(k);
			if (getImageID() != id && getImageID() != mapId) resultId = getImageID();
		}
		selectImage(resultId);
	}
	saveAs("Tiff", target);
	close("*");
	done++;
	print("Super-resolved " + name + " -> " + target);
}
if (consistency && done > 0) {
	Table.save(output + "consistency.csv", "Super-Resolve consistency");
	print("Consistency (RSE, RSP) of each result: " + output + "consistency.csv");
}
print("Super_Resolve_Folder: " + done + " written, " + skipped + " skipped (already there), " + failed + " failed.");

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
