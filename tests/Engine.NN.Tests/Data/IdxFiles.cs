using System.Buffers.Binary;
using System.IO.Compression;

namespace Engine.NN.Tests.Data;

/// <summary>Writes IDX files by the format's definition (big-endian magic 0x000008NN, sizes, bytes), raw or gzipped.</summary>
internal static class IdxFiles
{
    public static byte[] Bytes(int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x00000800u | (uint)dims.Length);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * d), (uint)dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(bytes);
        return output.ToArray();
    }
}
