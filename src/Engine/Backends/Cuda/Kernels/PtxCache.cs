using System.Security.Cryptography;
using System.Text;

namespace Engine.Backends.Cuda.Kernels;

/// <summary>
/// Compiled PTX on disk, keyed by a hash of everything that shapes it: the module's source and every header,
/// the NVRTC options (which include the architecture) and NVRTC's version. The folder is
/// <c>ENGINE_KERNEL_CACHE</c>, else <c>$XDG_CACHE_HOME/engine/kernels</c> or <c>~/.cache/engine/kernels</c>;
/// a folder that cannot be written only means compiling again next time.
/// </summary>
internal static class PtxCache
{
    public const string FolderVariable = "ENGINE_KERNEL_CACHE";

    public static string Folder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(FolderVariable);
            if (!string.IsNullOrEmpty(configured)) return configured;
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(cache)) cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cache, "engine", "kernels");
        }
    }

    /// <summary>The PTX cached in <paramref name="folder"/> for this compilation, or a fresh one from <paramref name="compile"/> (then stored).</summary>
    public static byte[] GetOrCompile(string folder, string module, string source, IEnumerable<KeyValuePair<string, string>> headers,
        IReadOnlyList<string> options, (int Major, int Minor) nvrtcVersion, Func<byte[]> compile)
    {
        var path = Path.Combine(folder, $"{module}-{Key(source, headers, options, nvrtcVersion)}.ptx");
        try
        {
            if (File.Exists(path)) return File.ReadAllBytes(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        var ptx = compile();
        try
        {
            Directory.CreateDirectory(folder);
            var temporary = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temporary, ptx);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return ptx;
    }

    private static string Key(string source, IEnumerable<KeyValuePair<string, string>> headers, IReadOnlyList<string> options, (int, int) version)
    {
        var text = new StringBuilder(source);
        foreach (var (name, header) in headers) text.Append('\0').Append(name).Append('\0').Append(header);
        text.Append('\0').AppendJoin(' ', options).Append('\0').Append(version);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..20].ToLowerInvariant();
    }
}
