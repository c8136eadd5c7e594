using ComposerBot.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);
