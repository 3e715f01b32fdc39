package io.syncline.store;

import java.sql.Driver;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * A JDBC driver that wraps a vendor's driver to change one thing about its connections: it
 * reports the vendor driver's version, claims no JDBC compliance of its own (the wrapping may
 * not keep every guarantee), and has no java.util.logging logger.
 */
public abstract class DelegatingDriver implements Driver {

    private final Driver vendor;

    /** @param vendor the driver whose version this one reports */
    protected DelegatingDriver(Driver vendor) {
        this.vendor = vendor;
    }

    @Override
    public int getMajorVersion() {
        return vendor.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return vendor.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("java.util.logging is not used");
    }
}
