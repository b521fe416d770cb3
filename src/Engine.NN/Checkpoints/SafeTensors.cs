using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Engine.NN.Checkpoints;

/// <summary>Tensors read from a safetensors file, owned by this object until disposed.</summary>
public sealed class TensorFile : IDisposable
{
    internal TensorFile(OrderedDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors by name, in the order of the file's header.</summary>
    public OrderedDictionary<string, Tensor> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> strings (empty when there are none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}

/// <summary>
/// The safetensors format (Hugging Face; what PyTorch's <c>safetensors.torch.save_file</c> and <c>load_file</c> use):
/// an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each tensor name to its <c>dtype</c>,
/// <c>shape</c> and <c>data_offsets</c> [begin, end) into the data that follows (plus an optional
/// <c>__metadata__</c> object of strings), padded with spaces, then the tensors' raw little-endian bytes in row-major
/// order, covering the data without gaps. Engine reads and writes F32, F64, I32 and I64.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeader = 100L << 20;

    /// <summary>
    /// Writes <paramref name="tensors"/> (and <paramref name="metadata"/>) to <paramref name="path"/>: first to a temporary
    /// file beside it, then renamed over it, so a crash never leaves a half-written file under that name.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("SafeTensors: writing needs a little-endian host");
        var entries = tensors.ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in entries)
            if (name == MetadataKey || !names.Add(name)) throw new ArgumentException($"SafeTensors.Save: tensor name '{name}' is reserved or repeated");
        var data = entries.Select(e => Bytes(e.Value)).ToArray();
        var header = Header(entries, data, metadata);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                file.Write(length);
                file.Write(header);
                foreach (var bytes in data) file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Reads every tensor of the file at <paramref name="path"/> into host memory; throws <see cref="InvalidDataException"/> for a malformed file.</summary>
    public static TensorFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SafeTensors: {path} does not exist", path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads the tensors of safetensors <paramref name="bytes"/>; <paramref name="source"/> names them in error messages.</summary>
    public static TensorFile Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 8)
            throw new InvalidDataException($"{source}: truncated safetensors file: {bytes.Length} bytes, too short for the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8) || headerLength > MaxHeader)
            throw new InvalidDataException($"{source}: truncated or corrupt safetensors file: the header claims {headerLength} bytes, the file has {bytes.Length - 8} after the length");
        int dataStart = 8 + (int)headerLength;
        var entries = ParseHeader(bytes.AsSpan(8, (int)headerLength), source, out var metadata);
        long dataLength = bytes.Length - dataStart;
        CheckCoverage(entries, dataLength, source);
        var tensors = new OrderedDictionary<string, Tensor>();
        try
        {
            foreach (var e in entries)
                tensors.Add(e.Name, Create(e, bytes.AsSpan(dataStart + (int)e.Begin, (int)(e.End - e.Begin))).DetachFromScopes());
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return new TensorFile(tensors, metadata);
    }

    private sealed record Entry(string Name, DType DType, int[] Shape, long Begin, long End);

    private static List<Entry> ParseHeader(ReadOnlySpan<byte> header, string source, out Dictionary<string, string> metadata)
    {
        metadata = [];
        var entries = new List<Entry>();
        if (header.Length == 0 || header[0] != (byte)'{')
            throw new InvalidDataException($"{source}: corrupt safetensors header: it must be a JSON object starting with '{{'");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.ToArray().AsMemory().TrimEnd((byte)' '));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: corrupt safetensors header: {e.Message}", e);
        }
        using (document)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw Corrupt(source, property.Name, "appears twice");
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object) throw Corrupt(source, MetadataKey, "must be an object of strings");
                    foreach (var item in property.Value.EnumerateObject())
                        metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()! : throw Corrupt(source, MetadataKey, $"value of '{item.Name}' is not a string");
                    continue;
                }
                entries.Add(ParseEntry(property, source));
            }
        }
        return entries;
    }

    private static Entry ParseEntry(JsonProperty property, string source)
    {
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Corrupt(source, property.Name, "needs \"dtype\" (a string), \"shape\" (an array) and \"data_offsets\" ([begin, end])");
        var dims = shape.EnumerateArray().Select(d => d.TryGetInt32(out int n) && n >= 0 ? n : throw Corrupt(source, property.Name, $"shape entry {d} is not a size")).ToArray();
        var range = offsets.EnumerateArray().Select(o => o.TryGetInt64(out long n) && n >= 0 ? n : throw Corrupt(source, property.Name, $"offset {o} is not a byte position")).ToArray();
        var type = dtype.GetString() switch
        {
            "F32" => DType.F32,
            "F64" => DType.F64,
            "I32" => DType.I32,
            "I64" => DType.I64,
            var other => throw new InvalidDataException($"{source}: tensor '{property.Name}' has dtype {other}; Engine reads F32, F64, I32 and I64"),
        };
        long expected = dims.Aggregate(1L, (n, d) => n * d) * type.ElementSize();
        if (range[1] < range[0] || range[1] - range[0] != expected)
            throw Corrupt(source, property.Name, $"data_offsets [{range[0]}, {range[1]}] do not hold {type} of shape [{string.Join(", ", dims)}] ({expected} bytes)");
        return new Entry(property.Name, type, dims, range[0], range[1]);
    }

    /// <summary>The tensors' byte ranges must tile the data exactly: no gap, no overlap, nothing past the end.</summary>
    private static void CheckCoverage(List<Entry> entries, long dataLength, string source)
    {
        long position = 0;
        foreach (var e in entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            if (e.Begin != position)
                throw new InvalidDataException($"{source}: corrupt safetensors data: tensor '{e.Name}' starts at byte {e.Begin}, expected {position} (a gap or an overlap)");
            position = e.End;
        }
        if (position != dataLength)
            throw new InvalidDataException(position > dataLength
                ? $"{source}: truncated safetensors file: the header describes {position} bytes of data, the file has {dataLength}"
                : $"{source}: corrupt safetensors file: {dataLength - position} bytes after the last tensor's data");
    }

    private static Tensor Create(Entry e, ReadOnlySpan<byte> bytes) => e.DType switch
    {
        DType.F32 => Tensor.From(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), e.Shape),
        DType.F64 => Tensor.From(MemoryMarshal.Cast<byte, double>(bytes).ToArray(), e.Shape),
        DType.I32 => Tensor.From(MemoryMarshal.Cast<byte, int>(bytes).ToArray(), e.Shape),
        _ => Tensor.From(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), e.Shape),
    };

    private static byte[] Bytes(Tensor t) => t.DType switch
    {
        DType.F32 => MemoryMarshal.AsBytes<float>(t.ToArray<float>()).ToArray(),
        DType.F64 => MemoryMarshal.AsBytes<double>(t.ToArray<double>()).ToArray(),
        DType.I32 => MemoryMarshal.AsBytes<int>(t.ToArray<int>()).ToArray(),
        _ => MemoryMarshal.AsBytes<long>(t.ToArray<long>()).ToArray(),
    };

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes so the data starts aligned.</summary>
    private static byte[] Header(KeyValuePair<string, Tensor>[] entries, byte[][] data, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            for (int i = 0; i < entries.Length; i++)
            {
                var t = entries[i].Value;
                json.WriteStartObject(entries[i].Key);
                json.WriteString("dtype", t.DType.ToString());
                json.WriteStartArray("shape");
                foreach (int d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset += data[i].Length);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        while (buffer.Length < padded) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static InvalidDataException Corrupt(string source, string name, string problem) =>
        new($"{source}: corrupt safetensors header: '{name}' {problem}");
}
