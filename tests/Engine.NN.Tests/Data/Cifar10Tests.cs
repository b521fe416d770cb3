using Engine.NN.Data;
using Engine.Tests.Support;
using Engine.NN.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Data;

/// <summary>The CIFAR-10 reader on small batch files in the real binary format, written by the test.</summary>
public class Cifar10Tests
{
    /// <summary>Records of a label byte then 3072 pixel bytes (red, green, blue planes of 32x32).</summary>
    private static byte[] Records(params byte[] labels)
    {
        var bytes = new byte[labels.Length * Cifar10.RecordSize];
        for (int r = 0; r < labels.Length; r++)
        {
            bytes[r * Cifar10.RecordSize] = labels[r];
            for (int i = 1; i < Cifar10.RecordSize; i++) bytes[r * Cifar10.RecordSize + i] = Pattern(r, i);
        }
        return bytes;
    }

    /// <summary>Byte i of record r: varies within each colour plane and between planes.</summary>
    private static byte Pattern(int r, int i) => (byte)((i * i + 3 * r) % 251);

    [Fact]
    public void ReadsRecordsIntoImagesAndLabels()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "cifar-10-batches-bin"));
        folder.File("cifar-10-batches-bin/test_batch.bin", Records(3, 9, 0));
        var test = Cifar10.Load(folder.Path, train: false);
        Assert.Equal(3, test.Count);
        Assert.Equal([3, 32, 32], test.SampleShape);
        Assert.Equal([3, 9, 0], Enumerable.Range(0, 3).Select(test.Label));
        Assert.Equal(Enumerable.Range(1, 3072).Select(i => Pattern(1, i)), test.Pixels(1).ToArray());
        var floats = new float[3072];
        test.CopySample(1, floats);
        Assert.Equal(Pattern(1, 1025) / 255.0, floats[1024], 1e-6);
        for (int i = 1; i <= 5; i++) folder.File($"cifar-10-batches-bin/data_batch_{i}.bin", Records((byte)i, (byte)(i - 1)));
        var train = Cifar10.Load(folder.Path, train: true);
        Assert.Equal(10, train.Count);
        Assert.Equal([1, 0, 2, 1, 3, 2, 4, 3, 5, 4], Enumerable.Range(0, 10).Select(train.Label));
    }

    [Fact]
    public void TruncatedFilesAndLabelsOutOfRangeAreNamed()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("test_batch.bin", Records(1, 2)[..^5]);
        Expect.Throws<InvalidDataException>(() => Cifar10.ReadBatch(path), "test_batch.bin: truncated CIFAR-10 batch", "6141 bytes", "3073-byte records");
        path = folder.File("test_batch.bin", Records(1, 12));
        Expect.Throws<InvalidDataException>(() => Cifar10.ReadBatch(path), "label 12 of record 1 is out of range [0, 10)");
        Expect.Throws<FileNotFoundException>(() => Cifar10.Load(folder.Path, train: true), "data_batch_1.bin");
    }
}
