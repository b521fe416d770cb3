using System.Buffers.Binary;
using System.Text;
using Engine.NN.Checkpoints;
using Engine.Random;
using Engine.Tests.Support;
using Engine.NN.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Checkpoints;

/// <summary>Safetensors files: one written byte by byte from the format's specification, round trips, atomic writes, and every error.</summary>
public class SafeTensorsTests
{
    /// <summary>8-byte little-endian header length, the header, then the data.</summary>
    private static byte[] File(string header, params byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    [Fact]
    public void AFileWrittenByHandFromTheSpecificationLoads()
    {
        // Keys in any order, whitespace padding after the object; data little-endian: F32 1, -2.5, 3.25, 0.5; I64 7; F64 1.5.
        var bytes = File(
            "{\"w\": {\"shape\": [2, 2], \"data_offsets\": [0, 16], \"dtype\": \"F32\"}, \"__metadata__\": {\"format\": \"pt\"}, " +
            "\"n\": {\"dtype\": \"I64\", \"shape\": [], \"data_offsets\": [16, 24]}, \"x\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [24, 32]}}   ",
            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0, 0x00, 0x00, 0x50, 0x40, 0x00, 0x00, 0x00, 0x3F,
            0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F);
        using var file = SafeTensors.Parse(bytes, "hand-written");
        Assert.Equal(["w", "n", "x"], file.Tensors.Keys);
        Assert.Equal([2, 2], file.Tensors["w"].Shape);
        Assert.Equal([1f, -2.5f, 3.25f, 0.5f], file.Tensors["w"].ToArray<float>());
        Assert.Equal(DType.I64, file.Tensors["n"].DType);
        Assert.Equal(7L, file.Tensors["n"].Item<long>());
        Assert.Equal(1.5, file.Tensors["x"].Item<double>());
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void SavedFilesFollowTheLayoutAndRoundTripBitForBit()
    {
        using var folder = new TemporaryFolder();
        using var scope = TensorScope.Begin();
        float[] specials = [float.NaN, BitConverter.Int32BitsToSingle(0x7FC01234), -0f, float.Epsilon, float.PositiveInfinity, -1e38f];
        var tensors = new Dictionary<string, Tensor>
        {
            ["specials"] = Tensor.From(specials, [2, 3]),
            ["transposed"] = Tensor.Randn([3, 4], DType.F64, new Generator(1)).Transpose(),
            ["ints"] = Tensor.From(new[] { int.MinValue, -1, 0, int.MaxValue }),
            ["longs"] = Tensor.From(new[] { long.MinValue, 42L }),
            ["scalar"] = Tensor.Scalar(0.1),
            ["empty"] = Tensor.Zeros([0, 3]),
        };
        string path = Path.Combine(folder.Path, "t.safetensors");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["note"] = "round trip" });

        var bytes = System.IO.File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        Assert.Equal((byte)'{', bytes[8]);
        Assert.Equal(8 + headerLength + 6 * 4 + 12 * 8 + 4 * 4 + 2 * 8 + 4, bytes.Length);

        using var file = SafeTensors.Load(path);
        Assert.Equal(tensors.Keys, file.Tensors.Keys);
        Assert.Equal("round trip", file.Metadata["note"]);
        Assert.Equal(specials.Select(BitConverter.SingleToInt32Bits), file.Tensors["specials"].ToArray<float>().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(tensors["transposed"].ToArray<double>().Select(BitConverter.DoubleToInt64Bits), file.Tensors["transposed"].ToArray<double>().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal([4, 3], file.Tensors["transposed"].Shape);
        Assert.Equal([int.MinValue, -1, 0, int.MaxValue], file.Tensors["ints"].ToArray<int>());
        Assert.Equal([long.MinValue, 42L], file.Tensors["longs"].ToArray<long>());
        Assert.Equal([], file.Tensors["scalar"].Shape);
        Assert.Equal([0, 3], file.Tensors["empty"].Shape);
    }

    [Fact]
    public void WritesGoThroughATemporaryFileThatReplacesTheTargetOnlyWhenComplete()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "model.safetensors");
        using var scope = TensorScope.Begin();
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = Tensor.Ones([2]) });
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["b"] = Tensor.Zeros([3]) });
        using (var file = SafeTensors.Load(path)) Assert.Equal(["b"], file.Tensors.Keys);
        var before = System.IO.File.ReadAllBytes(path);
        var disposed = Tensor.Ones([2]);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => SafeTensors.Save(path, new Dictionary<string, Tensor> { ["c"] = disposed }));
        Assert.Equal(before, System.IO.File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    public static TheoryData<string, string, string> Corruptions() => new()
    {
        { "not JSON", "{\"w\": {\"dtype\": \"F32\", ", "corrupt safetensors header" },
        { "not an object", "[1, 2]", "must be a JSON object starting with '{'" },
        { "missing offsets", "{\"w\": {\"dtype\": \"F32\", \"shape\": [2]}}", "'w' needs \"dtype\"" },
        { "offsets do not fit the shape", "{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", "do not hold F32 of shape [3] (12 bytes)" },
        { "unsupported dtype", "{\"w\": {\"dtype\": \"BF16\", \"shape\": [4], \"data_offsets\": [0, 8]}}", "dtype BF16; Engine reads F32, F64, I32 and I64" },
        { "gap", "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "starts at byte 4, expected 0" },
        { "overlap", "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "'b' starts at byte 4, expected 8" },
        { "past the end", "{\"w\": {\"dtype\": \"F64\", \"shape\": [2], \"data_offsets\": [0, 16]}}", "truncated safetensors file: the header describes 16 bytes of data, the file has 8" },
        { "trailing bytes", "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "4 bytes after the last tensor's data" },
        { "repeated name", "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "'w' appears twice" },
        { "metadata not strings", "{\"__metadata__\": {\"epoch\": 3}, \"w\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [0, 8]}}", "value of 'epoch' is not a string" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptHeadersAreRejectedWithTheReason(string name, string header, string message)
    {
        Assert.NotEmpty(name);
        Expect.Throws<InvalidDataException>(() => SafeTensors.Parse(File(header, new byte[8]), "f"), "f: ", message);
    }

    [Fact]
    public void TruncatedFilesAreRejected()
    {
        var bytes = File("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", new byte[8]);
        Expect.Throws<InvalidDataException>(() => SafeTensors.Parse(bytes[..^3], "f"), "truncated safetensors file", "8 bytes of data, the file has 5");
        Expect.Throws<InvalidDataException>(() => SafeTensors.Parse(bytes[..20], "f"), "truncated or corrupt", "the header claims 61 bytes, the file has 12");
        Expect.Throws<InvalidDataException>(() => SafeTensors.Parse(bytes[..5], "f"), "too short for the 8-byte header length");
        Expect.Throws<FileNotFoundException>(() => SafeTensors.Load("/nonexistent/x.safetensors"), "does not exist");
    }
}
