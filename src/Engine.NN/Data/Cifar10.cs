namespace Engine.NN.Data;

/// <summary>
/// CIFAR-10 in its binary version: files of 3073-byte records, a label byte (0-9) then 3072 pixel bytes (1024 red,
/// 1024 green, 1024 blue, each 32x32 row-major). Training: <c>data_batch_1.bin</c> to <c>data_batch_5.bin</c>;
/// test: <c>test_batch.bin</c>; in the given folder or its <c>cifar-10-batches-bin</c> subfolder.
/// </summary>
public static class Cifar10
{
    /// <summary>Bytes of one record.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Class names, by label.</summary>
    public static IReadOnlyList<string> Classes { get; } = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Loads the training (50,000) or test (10,000) images [N, 3, 32, 32].</summary>
    public static ImageDataset Load(string folder, bool train)
    {
        string root = Directory.Exists(Path.Combine(folder, "cifar-10-batches-bin")) ? Path.Combine(folder, "cifar-10-batches-bin") : folder;
        string[] names = train ? [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")] : ["test_batch.bin"];
        var pixels = new List<byte>();
        var labels = new List<byte>();
        foreach (var name in names)
        {
            var (p, l) = ReadBatch(Path.Combine(root, name));
            pixels.AddRange(p);
            labels.AddRange(l);
        }
        return new ImageDataset([.. pixels], [.. labels], 3, 32, 32, ClassCount, root);
    }

    /// <summary>Reads one batch file: the pixels of every record in order and their labels; checks record size and label range.</summary>
    public static (byte[] Pixels, byte[] Labels) ReadBatch(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CIFAR-10: {path} does not exist (expected the binary version's batch files)", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
            throw new InvalidDataException($"{path}: truncated CIFAR-10 batch: {bytes.Length} bytes is not a whole number of {RecordSize}-byte records");
        int records = bytes.Length / RecordSize;
        var pixels = new byte[records * (RecordSize - 1)];
        var labels = new byte[records];
        for (int r = 0; r < records; r++)
        {
            byte label = bytes[r * RecordSize];
            if (label >= ClassCount)
                throw new InvalidDataException($"{path}: label {label} of record {r} is out of range [0, {ClassCount})");
            labels[r] = label;
            bytes.AsSpan(r * RecordSize + 1, RecordSize - 1).CopyTo(pixels.AsSpan(r * (RecordSize - 1)));
        }
        return (pixels, labels);
    }
}
