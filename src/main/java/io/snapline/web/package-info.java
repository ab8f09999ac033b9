/** Status and operations endpoints. */
package io.snapline.web;
