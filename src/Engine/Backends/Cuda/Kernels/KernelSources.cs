using System.Reflection;

namespace Engine.Backends.Cuda.Kernels;

/// <summary>
/// The kernels/*.cu and *.cuh sources, embedded in the assembly (see Engine.csproj), for NVRTC to compile on the
/// device at first use. Each .cu file is one module; the headers are passed to every compilation by name.
/// </summary>
internal static class KernelSources
{
    private const string Prefix = "kernels/";
    private static readonly Lazy<Dictionary<string, string>> Files = new(ReadAll);

    /// <summary>The source of kernels/<paramref name="module"/>.cu.</summary>
    public static string Module(string module) =>
        Files.Value.TryGetValue(module + ".cu", out var text)
            ? text
            : throw new ArgumentException($"no kernel file kernels/{module}.cu is embedded in {typeof(KernelSources).Assembly.GetName().Name}");

    /// <summary>Every header, by the name kernels include it with.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Headers =>
        Files.Value.Where(f => f.Key.EndsWith(".cuh", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal);

    private static Dictionary<string, string> ReadAll()
    {
        var assembly = typeof(KernelSources).Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            files[resource[Prefix.Length..]] = reader.ReadToEnd();
        }
        return files;
    }
}
