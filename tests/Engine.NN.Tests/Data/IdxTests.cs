using Engine.NN.Data;
using Engine.Tests.Support;
using Engine.NN.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Data;

/// <summary>The IDX reader on files written by the test, raw and gzipped, and its errors.</summary>
public class IdxTests
{
    private static readonly byte[] Pixels = [.. Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7))];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsDimensionsAndDataOfRawAndGzippedFiles(bool gzip)
    {
        using var folder = new TemporaryFolder();
        var bytes = IdxFiles.Bytes([2, 3, 4], Pixels);
        var array = Idx.Read(folder.File("images", gzip ? IdxFiles.Gzip(bytes) : bytes));
        Assert.Equal([2, 3, 4], array.Dims);
        Assert.Equal(Pixels, array.Data);
    }

    [Fact]
    public void AWrongMagicNumberIsNamed()
    {
        var bytes = IdxFiles.Bytes([2, 3, 4], Pixels);
        bytes[2] = 0x0D;
        Expect.Throws<InvalidDataException>(() => Idx.Parse(bytes, "f"), "f: wrong magic number 0x00000D03", "0x00000803", "0x00000801");
        bytes[2] = 0x08;
        bytes[0] = 0x1A;
        Expect.Throws<InvalidDataException>(() => Idx.Parse(bytes, "f"), "wrong magic number 0x1A000803");
    }

    [Fact]
    public void TruncatedFilesAreRecognised()
    {
        var bytes = IdxFiles.Bytes([2, 3, 4], Pixels);
        Expect.Throws<InvalidDataException>(() => Idx.Parse(bytes[..^1], "f"), "f: truncated IDX file", "need 24 bytes of data, the file has 23");
        Expect.Throws<InvalidDataException>(() => Idx.Parse(bytes[..9], "f"), "truncated IDX file", "header of 3 dimensions needs 16");
        Expect.Throws<InvalidDataException>(() => Idx.Parse(bytes[..2], "f"), "truncated IDX file", "too short for the 4-byte magic number");
        Expect.Throws<InvalidDataException>(() => Idx.Parse([.. bytes, 0], "f"), "1 unexpected bytes after the 24 bytes of data");
        using var folder = new TemporaryFolder();
        var gzip = IdxFiles.Gzip(bytes);
        Expect.Throws<InvalidDataException>(() => Idx.Read(folder.File("cut.gz", gzip[..(gzip.Length / 2)])), "cut.gz: the gzip stream is truncated or corrupt");
    }

    [Fact]
    public void MnistLoaderChecksCountsAndLabels()
    {
        using var folder = new TemporaryFolder();
        var images = IdxFiles.Bytes([3, 2, 2], new byte[12]);
        folder.File("t10k-images-idx3-ubyte.gz", IdxFiles.Gzip(images));
        folder.File("t10k-labels-idx1-ubyte", IdxFiles.Bytes([3], [1, 9, 0]));
        var test = Mnist.Load(folder.Path, train: false);
        Assert.Equal(3, test.Count);
        Assert.Equal([1, 2, 2], test.SampleShape);
        Assert.Equal(9, test.Label(1));
        folder.File("t10k-labels-idx1-ubyte", IdxFiles.Bytes([3], [1, 10, 0]));
        Expect.Throws<InvalidDataException>(() => Mnist.Load(folder.Path, train: false), "label 10 of sample 1 is out of range [0, 10)");
        folder.File("t10k-labels-idx1-ubyte", IdxFiles.Bytes([2], [1, 0]));
        Expect.Throws<InvalidDataException>(() => Mnist.Load(folder.Path, train: false), "3 images but 2 labels");
        Expect.Throws<FileNotFoundException>(() => Mnist.Load(folder.Path, train: true), "train-images-idx3-ubyte.gz", "train-images-idx3-ubyte");
    }
}
