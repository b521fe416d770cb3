using System.Buffers.Binary;
using System.IO.Compression;

namespace Engine.NN.Data;

/// <summary>An IDX array of unsigned bytes: its dimensions and its elements in row-major order.</summary>
public sealed record IdxArray(int[] Dims, byte[] Data);

/// <summary>
/// Reads IDX files (LeCun's format for MNIST), raw or gzip-compressed: a big-endian magic number 0x0000TTNN (type TT,
/// here 0x08 for unsigned bytes, and NN dimensions), NN big-endian 32-bit sizes, then the elements.
/// </summary>
public static class Idx
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Reads and checks the file at <paramref name="path"/>; gzip is recognised by its magic bytes.</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file {path} does not exist", path);
        return Parse(Decompress(File.ReadAllBytes(path), path), path);
    }

    /// <summary>The bytes of a file, gunzipped when they start with the gzip magic 1F 8B.</summary>
    internal static byte[] Decompress(byte[] bytes, string source)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1F || bytes[1] != 0x8B) return bytes;
        byte[] data;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            data = output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"{source}: the gzip stream is truncated or corrupt ({e.Message})", e);
        }
        // GZipStream stops quietly at a cut-off stream; the trailer's last field, the length mod 2^32, tells.
        if (bytes.Length < 18 || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)) != (uint)data.Length)
            throw new InvalidDataException($"{source}: the gzip stream is truncated or corrupt (its trailer does not give the {data.Length} bytes it decompressed to)");
        return data;
    }

    /// <summary>Parses IDX bytes; <paramref name="source"/> names them in error messages.</summary>
    public static IdxArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"{source}: truncated IDX file: {bytes.Length} bytes, too short for the 4-byte magic number");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        int rank = bytes[3];
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != UnsignedByte || rank == 0)
            throw new InvalidDataException($"{source}: wrong magic number 0x{magic:X8}; expected 0x000008NN (unsigned bytes, NN dimensions), e.g. 0x00000803 for images, 0x00000801 for labels");
        int header = 4 + 4 * rank;
        if (bytes.Length < header)
            throw new InvalidDataException($"{source}: truncated IDX file: {bytes.Length} bytes, the header of {rank} dimensions needs {header}");
        var dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (size > int.MaxValue) throw new InvalidDataException($"{source}: dimension {d} has an impossible size {size}");
            dims[d] = (int)size;
            count *= size;
        }
        long available = bytes.Length - header;
        if (available < count)
            throw new InvalidDataException($"{source}: truncated IDX file: dimensions [{string.Join(", ", dims)}] need {count} bytes of data, the file has {available}");
        if (available > count)
            throw new InvalidDataException($"{source}: {available - count} unexpected bytes after the {count} bytes of data for dimensions [{string.Join(", ", dims)}]");
        return new IdxArray(dims, bytes[header..]);
    }
}
