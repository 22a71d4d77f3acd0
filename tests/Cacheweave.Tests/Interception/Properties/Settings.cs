namespace Cacheweave.Tests.Interception.Properties;

public sealed class Settings : ISettings
{
    public int Limit { get; set; }

    public int RegionReads { get; private set; }

    public int TwiceCalls { get; private set; }

    public string Region
    {
        get
        {
            RegionReads++;
            return "eu";
        }
    }

    public int Twice(int n)
    {
        TwiceCalls++;
        return 2 * n;
    }
}
