using System.CommandLine;
using System.Globalization;
using Engine.Ode;

namespace Engine.Cli.Training;

/// <summary><c>engine train &lt;task&gt;</c>: the options, and parsing them into a <see cref="TrainingRequest"/>.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var task = new Argument<string>("task")
        {
            Description = "What to train: " + string.Join(", ", TrainingTasks.All.Select(t => t.Name)),
        };
        task.AcceptOnlyFromAmong([.. TrainingTasks.All.Select(t => t.Name)]);
        var data = new Option<string>("--data") { Description = "Folder holding mnist/, fashion-mnist/, cifar-10-batches-bin/", DefaultValueFactory = _ => DefaultDataFolder() };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N, or auto (cuda:0 when a CUDA device is present, else cpu)", DefaultValueFactory = _ => "cpu" };
        device.Validators.Add(result =>
        {
            var parsed = ParseDevice(result.GetValueOrDefault<string>());
            if (parsed is null)
                result.AddError($"--device: expected cpu, cuda, cuda:N or auto, got '{result.GetValueOrDefault<string>()}'");
            else if (parsed.Value.Type == DeviceType.Cuda && parsed.Value.Index >= CudaDevices.Count)
                result.AddError($"--device {parsed}: {CudaDevices.Count} CUDA devices are available (--device auto falls back to the CPU; " +
                    "ENGINE_CUDA_EMULATOR=1 gives an emulated cuda:0)");
        });
        var epochs = new Option<int?>("--epochs") { Description = "Epochs in total (a resumed run continues up to it); the task's default when omitted" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Samples per batch; the task's default when omitted" };
        var learningRate = new Option<double?>("--lr") { Description = "Learning rate; the task's default when omitted" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights, the data order, augmentation and dropout", DefaultValueFactory = _ => 0UL };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Save model, optimizer and progress to this .safetensors file after every epoch" };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint written by --checkpoint" };
        var plot = new Option<string?>("--plot") { Description = "Write the task's plot (loss and accuracy curves; for spirals-odenet, the learned trajectory) to this PNG file" };
        var maxBatches = new Option<int?>("--max-batches") { Description = "Stop each epoch after this many batches (a quick look)" };
        var odeGradient = new Option<OdeGradient?>("--ode-gradient")
        {
            Description = "How spirals-odenet back-propagates through its solves: Direct (the default), Adjoint or Checkpointed",
        };

        var command = new Command("train", "Train a model on a data set, with progress, checkpoints and plots")
        {
            task, data, device, epochs, batchSize, learningRate, seed, checkpoint, resume, plot, maxBatches, odeGradient,
        };
        command.SetAction(result =>
        {
            var chosen = TrainingTasks.Find(result.GetValue(task)!)!;
            var defaults = chosen.Defaults;
            var request = new TrainingRequest(result.GetValue(data)!, ParseDevice(result.GetValue(device)!)!.Value, result.GetValue(epochs) ?? defaults.Epochs,
                result.GetValue(batchSize) ?? defaults.BatchSize, result.GetValue(learningRate) ?? defaults.LearningRate, result.GetValue(seed),
                result.GetValue(checkpoint), result.GetValue(resume), result.GetValue(plot), result.GetValue(maxBatches), result.GetValue(odeGradient));
            return chosen.Run(request);
        });
        return command;
    }

    /// <summary><c>$ENGINE_DATA</c>, else <c>../shared/data</c> when it exists (the project's layout), else <c>data</c>.</summary>
    private static string DefaultDataFolder() =>
        Environment.GetEnvironmentVariable("ENGINE_DATA") is { Length: > 0 } folder ? folder
        : Directory.Exists(Path.Combine("..", "shared", "data")) ? Path.Combine("..", "shared", "data") : "data";

    /// <summary>The device named by cpu, cuda, cuda:N or auto; null for anything else.</summary>
    private static Device? ParseDevice(string? text)
    {
        if (text == "cpu") return Device.Cpu;
        if (text == "auto") return Device.CudaIfAvailable();
        if (text == "cuda") return new Device(DeviceType.Cuda);
        if (text is not null && text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            return new Device(DeviceType.Cuda, index);
        return null;
    }
}
