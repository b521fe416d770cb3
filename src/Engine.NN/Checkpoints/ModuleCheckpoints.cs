namespace Engine.NN.Checkpoints;

/// <summary>Saving and loading a module's parameters and buffers as safetensors, under their <see cref="Module.StateDict"/> names.</summary>
public static class ModuleCheckpoints
{
    /// <summary>Writes the module's state to <paramref name="path"/> (atomically: a temporary file, then a rename).</summary>
    public static void SaveSafeTensors(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.Save(path, module.StateDict(), metadata);

    /// <summary>
    /// Loads the state saved at <paramref name="path"/> into the module. Every tensor must match the module's in shape and
    /// dtype; with <paramref name="strict"/> none may be missing or extra. Errors name the file and each mismatch.
    /// </summary>
    public static void LoadSafeTensors(this Module module, string path, bool strict = true)
    {
        using var file = SafeTensors.Load(path);
        try
        {
            module.LoadStateDict(file.Tensors, strict);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
